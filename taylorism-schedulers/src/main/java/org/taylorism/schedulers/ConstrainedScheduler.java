package org.taylorism.schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.taylorism.Scheduler;
import org.taylorism.Task;

/**
 * Walks the pending sets in an order and launches each one that every constraint lets start, up to a number
 * of threads: the engine behind MaxMemory, LongerFirst and SingleOpenFile. A set that a constraint says can
 * never start is rejected at once. A set blocked on an amount (memory) may be overtaken by later ones, at
 * most {@code maxOvertakes} times.
 */
final class ConstrainedScheduler implements Scheduler {

    /** The order in which pending sets are considered. */
    enum Order {
        SUBMISSION,
        /** By {@code expected_time}, longest first (absent counts as 0); submission order among equals. */
        LONGEST_FIRST
    }

    private static final Duration LIVE_MEMORY_RECHECK = Duration.ofSeconds(1);
    private static final Comparator<Task> LONGEST_FIRST = Comparator
            .comparingDouble((Task task) -> task.expectedTime() == null ? 0 : task.expectedTime()).reversed()
            .thenComparingLong(Task::id);

    private final String name;
    private final int maxThreads;
    private final List<Constraint> constraints;
    private final Order order;
    private final StarvationGuard guard;
    private final Long memoryBudgetMb;

    ConstrainedScheduler(String name, int maxThreads, List<Constraint> constraints, Order order, int maxOvertakes) {
        if (maxThreads < 0) {
            throw new IllegalArgumentException("threads < 0: " + maxThreads);
        }
        this.name = name;
        this.maxThreads = maxThreads == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors()) : maxThreads;
        this.constraints = List.copyOf(constraints);
        this.order = order;
        this.guard = new StarvationGuard(maxOvertakes);
        this.memoryBudgetMb = constraints.stream().filter(MemoryConstraint.class::isInstance)
                .map(c -> ((MemoryConstraint) c).budgetMb()).findFirst().orElse(null);
    }

    @Override
    public void schedule(Round round) {
        int running = round.running().size();
        if (running >= maxThreads) {
            return;
        }
        constraints.forEach(constraint -> constraint.reset(round.running()));
        guard.startRound(round);
        for (Task task : ordered(round)) {
            String never = neverFits(task);
            if (never != null) {
                round.reject(task, never);
                continue;
            }
            Constraint blocking = blocking(task);
            if (blocking != null) {
                if (blocking.amountBased() && guard.blocked(task)) {
                    break; // overtaken enough: it keeps its place at the head until it fits
                }
                continue;
            }
            if (round.launch(task) < 0) {
                continue;
            }
            constraints.forEach(constraint -> constraint.launched(task));
            if (guard.launched(task) || ++running >= maxThreads) {
                break;
            }
        }
        if (constraints.stream().anyMatch(Constraint::needsPolling)) {
            round.wakeUpAt(round.now().plus(LIVE_MEMORY_RECHECK));
        }
    }

    @Override
    public String whyWaiting(Task task, Round round) {
        int running = round.running().size();
        if (running >= maxThreads) {
            return running + "/" + maxThreads + " threads busy";
        }
        constraints.forEach(constraint -> constraint.reset(round.running()));
        Constraint blocking = blocking(task);
        if (blocking != null) {
            return blocking.blocker(task);
        }
        return guard.reservedBy(task, round.pending());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Long maxMemoryMb() {
        return memoryBudgetMb;
    }

    @Override
    public java.util.Set<String> keysRead() {
        java.util.Set<String> keys = new java.util.HashSet<>();
        constraints.forEach(constraint -> keys.addAll(constraint.keysRead()));
        return keys;
    }

    private Iterable<Task> ordered(Round round) {
        if (order == Order.SUBMISSION) {
            return round.pending();
        }
        List<Task> sorted = new ArrayList<>(round.pendingCount());
        round.pending().forEach(sorted::add);
        sorted.sort(LONGEST_FIRST);
        return sorted;
    }

    private String neverFits(Task task) {
        for (Constraint constraint : constraints) {
            String reason = constraint.neverFits(task);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    private Constraint blocking(Task task) {
        for (Constraint constraint : constraints) {
            if (constraint.blocker(task) != null) {
                return constraint;
            }
        }
        return null;
    }
}
