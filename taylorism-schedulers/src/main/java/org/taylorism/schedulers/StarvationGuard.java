package org.taylorism.schedulers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.taylorism.Scheduler;
import org.taylorism.Task;

/**
 * Counts how often each waiting set was overtaken by a later one, so that backfilling cannot starve a big
 * set: once a set has been overtaken {@code maxOvertakes} times, nothing behind it launches until it has.
 * Used within one decision as: {@link #blocked} for each set that cannot start and {@link #launched} for
 * each that does; either returning true means: stop walking, a set ahead keeps its place.
 */
final class StarvationGuard {

    private final int maxOvertakes;
    private final Map<Long, Integer> overtaken = new HashMap<>();
    private final List<Task> blockedThisRound = new ArrayList<>();

    StarvationGuard(int maxOvertakes) {
        this.maxOvertakes = maxOvertakes;
    }

    void startRound(Scheduler.Round round) {
        blockedThisRound.clear();
        if (overtaken.size() > 1024 && overtaken.size() > 2 * round.pendingCount()) {
            Set<Long> pendingIds = new HashSet<>();
            round.pending().forEach(task -> pendingIds.add(task.id()));
            overtaken.keySet().retainAll(pendingIds);
        }
    }

    /** {@code task} cannot start now. Returns true when it has been overtaken enough: stop walking. */
    boolean blocked(Task task) {
        blockedThisRound.add(task);
        return overtaken.getOrDefault(task.id(), 0) >= maxOvertakes;
    }

    /** {@code task} launches, overtaking the sets blocked before it. Returns true when one of them is now starving. */
    boolean launched(Task task) {
        overtaken.remove(task.id());
        boolean starving = false;
        for (Task waiting : blockedThisRound) {
            starving |= overtaken.merge(waiting.id(), 1, Integer::sum) >= maxOvertakes;
        }
        return starving;
    }

    /** Why {@code task} waits although it fits, if a starving set ahead of it holds the queue; else null. */
    String reservedBy(Task task, Iterable<Task> pendingInOrder) {
        for (Task ahead : pendingInOrder) {
            if (ahead.id() == task.id()) {
                return null;
            }
            int count = overtaken.getOrDefault(ahead.id(), 0);
            if (count >= maxOvertakes) {
                return "waits behind " + ahead.name() + ", overtaken " + count + " times";
            }
        }
        return null;
    }
}
