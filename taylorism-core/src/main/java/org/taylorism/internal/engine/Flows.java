package org.taylorism.internal.engine;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.taylorism.Cause;
import org.taylorism.Task;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;

/**
 * Sets that wait for other sets (their {@code after}, see {@link After}), held apart from the scheduler until
 * their condition holds: then they go to it (after their delay); when it can never hold (an upstream that had to
 * succeed failed), they end cancelled, and that end is weighed in turn. Ends are weighed in a loop, not by
 * recursion, so that a chain of thousands of sets that can never run is ended without a deep stack.
 *
 * <p>A name stands for the latest sets submitted under it: it has not ended while one of them has not (a later
 * batch may reuse the name of a set that ended). Boss thread only.
 */
final class Flows {

    /**
     * What happens to a held set that is not launched, for {@code cause}: what it waits for can never hold, or what
     * it takes from the sets it waited for cannot be filled in; {@code why} in words.
     */
    interface NotLaunchedExit {
        void notLaunched(Task task, Cause cause, String why);
    }

    /** A held set that will not be launched, and why. */
    private record NotLaunched(Task task, Cause cause, String why) {
    }

    /**
     * A held set. For a condition of one list (every name to have succeeded, failed or ended, the usual form) it
     * counts the names not ended yet: an end is then weighed in constant time, not by judging the whole condition
     * again (a gather set may wait for thousands); any other condition is judged whole at each end.
     */
    private static final class Held {
        final Task task;
        final After after;
        /** The one list's condition, or null. */
        final Dependency.Upon upon;
        int remaining;

        Held(Task task, After after) {
            this.task = task;
            this.after = after;
            this.upon = after.condition() instanceof Dependency.Upon one ? one : null;
        }
    }

    /** Where a set whose condition holds goes: to the scheduler, not before its {@code notBefore} (its delay). */
    private final Consumer<Task> released;
    private final NotLaunchedExit notLaunched;
    /** The report of an ended set held by the Boss, by name, or null: for what was not kept here. */
    private final Function<String, WorkerReport> heldReports;
    /** Names whose reports some set's values take, and the latest of those reports. */
    private final Map<String, WorkerReport> read = new HashMap<>();
    /** Sets not ended yet, by name. */
    private final Map<String, Integer> live = new HashMap<>();
    /** Every name, with how the last set of each ended (as the status's ordinal + 1; 0 for not yet). */
    private final NameIndex lastEnd;
    /** Held sets (by task id) that read each name. */
    private final Map<String, List<Long>> readers = new HashMap<>();
    private final LinkedHashMap<Long, Held> held = new LinkedHashMap<>();
    /** How many held sets have each name. */
    private final Map<String, Integer> heldNames = new HashMap<>();
    private final ArrayDeque<String> toWeigh = new ArrayDeque<>();
    private final ArrayDeque<NotLaunched> toCancel = new ArrayDeque<>();
    private boolean weighing;

    /**
     * @param heldReports the report of an ended set the Boss holds, by name, or null
     * @param names every name submitted ({@link Intake}'s), where how each last ended is kept
     */
    Flows(Consumer<Task> released, NotLaunchedExit notLaunched, Function<String, WorkerReport> heldReports, NameIndex names) {
        this.lastEnd = names;
        this.released = released;
        this.notLaunched = notLaunched;
        this.heldReports = heldReports;
    }

    /**
     * {@code tasks} were submitted: until they end, whoever waits for their names waits for them; the reports of
     * the sets their values read are kept from now on.
     */
    void expect(List<Task> tasks, Map<Long, After> waits) {
        for (Task task : tasks) {
            live.merge(task.name(), 1, Integer::sum);
        }
        for (After after : waits.values()) {
            for (String name : after.reads()) {
                read.putIfAbsent(name, null);
            }
        }
    }

    /**
     * Of {@code tasks}, expected already, those that may go to the scheduler now, a delay in their {@code notBefore};
     * the others are held, or ended when their condition can never hold.
     *
     * @param waits the {@code after} of the tasks that have one, by task id
     */
    List<Task> admit(List<Task> tasks, Map<Long, After> waits, Instant now) {
        if (waits.isEmpty()) {
            return tasks;
        }
        List<Task> ready = new ArrayList<>(tasks.size());
        for (Task task : tasks) {
            After after = waits.get(task.id());
            if (after == null) {
                ready.add(task);
                continue;
            }
            Dependency.Verdict verdict = after.condition().judge(this::endedAs);
            switch (verdict.state()) {
                case HOLDS -> {
                    Task filled = filledIn(task, after, now);
                    if (filled != null) {
                        ready.add(filled);
                    }
                }
                case WAITS -> hold(task, after);
                case NEVER -> toCancel.add(neverSatisfied(task, verdict.because()));
            }
        }
        weigh(now);
        return ready;
    }

    /**
     * A set called {@code name} ended as {@code status}, with {@code report} (or a resumed run carried it, or left
     * it not run, with no report).
     */
    void ended(String name, WorkerStatus status, WorkerReport report, Instant now) {
        live.computeIfPresent(name, (key, count) -> count > 1 ? count - 1 : null);
        lastEnd.ended(name, (byte) (status.ordinal() + 1));
        if (report != null && read.containsKey(name)) {
            read.put(name, report);
        }
        if (readers.containsKey(name)) {
            toWeigh.add(name);
        }
        weigh(now);
    }

    private void weigh(Instant now) {
        if (weighing) {
            return; // an end this loop caused: the loop weighs it
        }
        weighing = true;
        try {
            while (!toCancel.isEmpty() || !toWeigh.isEmpty()) {
                if (!toCancel.isEmpty()) {
                    NotLaunched never = toCancel.poll();
                    notLaunched.notLaunched(never.task(), never.cause(), never.why());
                    continue;
                }
                weighReadersOf(toWeigh.poll(), now);
            }
        } finally {
            weighing = false;
        }
    }

    private void weighReadersOf(String name, Instant now) {
        List<Long> ids = readers.remove(name);
        if (ids == null) {
            return;
        }
        WorkerStatus status = endedAs(name);
        List<Long> stillReading = new ArrayList<>();
        for (Long id : ids) {
            Held waiting = held.get(id);
            if (waiting == null) {
                continue;
            }
            if (status == null) {
                stillReading.add(id); // another set of that name runs: it is read again when that one ends
                continue;
            }
            Dependency.Verdict verdict = waiting.upon == null ? waiting.after.condition().judge(this::endedAs)
                    : weighOne(waiting, name, status);
            if (verdict.state() == Dependency.State.WAITS) {
                continue;
            }
            unhold(id);
            if (verdict.state() == Dependency.State.HOLDS) {
                Task filled = filledIn(waiting.task, waiting.after, now);
                if (filled != null) {
                    released.accept(filled);
                }
            } else {
                toCancel.add(neverSatisfied(waiting.task, verdict.because()));
            }
        }
        if (!stillReading.isEmpty()) {
            readers.computeIfAbsent(name, key -> new ArrayList<>()).addAll(stillReading);
        }
    }

    /** The verdict on a one-list condition once {@code name}, one of its names, ended as {@code status}. */
    private static Dependency.Verdict weighOne(Held waiting, String name, WorkerStatus status) {
        Dependency.Outcome outcome = waiting.upon.outcome();
        if (!outcome.metBy(status)) {
            return new Dependency.Verdict(Dependency.State.NEVER, "'" + name + "' " + status.jsonName()
                    + ", and it waits for it to have " + outcome.key());
        }
        return --waiting.remaining == 0 ? Dependency.Verdict.HOLDS : Dependency.Verdict.WAITS;
    }

    private void hold(Task task, After after) {
        Held waiting = new Held(task, after);
        held.put(task.id(), waiting);
        heldNames.merge(task.name(), 1, Integer::sum);
        // Names that ended already ended as wanted (the verdict was WAITS): only the others are read.
        Iterable<String> names = waiting.upon != null ? waiting.upon.names() : after.condition().upstream();
        java.util.Set<String> seen = waiting.upon != null && waiting.upon.names().size() > 1 ? new java.util.HashSet<>() : null;
        for (String name : names) {
            if (endedAs(name) != null || seen != null && !seen.add(name)) {
                continue;
            }
            waiting.remaining++;
            readers.computeIfAbsent(name, key -> new ArrayList<>()).add(task.id());
        }
    }

    private void unhold(long id) {
        Held removed = held.remove(id);
        if (removed != null) {
            heldNames.computeIfPresent(removed.task.name(), (key, count) -> count > 1 ? count - 1 : null);
        }
    }

    /** How the latest set of {@code name} ended; null while one of that name has not ended, or none was seen yet. */
    private WorkerStatus endedAs(String name) {
        if (live.containsKey(name)) {
            return null;
        }
        byte code = lastEnd.endedWith(name);
        return code == 0 ? null : WorkerStatus.values()[code - 1];
    }

    private static NotLaunched neverSatisfied(Task task, String because) {
        return new NotLaunched(task, Cause.DEPENDENCY_NEVER_SATISFIED, "what it waits for can never hold: " + because);
    }

    /**
     * {@code task}, whose condition holds, ready to go: what it takes from the sets it waited for filled in, its delay
     * in its {@code notBefore}; null when that cannot be filled in (it is then ended, failed).
     */
    private Task filledIn(Task task, After after, Instant now) {
        Task ready = delayed(task, after, now);
        if (after.reads().isEmpty()) {
            return ready;
        }
        try {
            return ResultFlow.filledIn(ready, after, name -> {
                WorkerReport report = read.get(name);
                return report != null ? report : heldReports.apply(name);
            });
        } catch (IllegalArgumentException e) {
            toCancel.add(new NotLaunched(task, Cause.BAD_UPSTREAM_VALUE, "what it takes from the sets it waited for: " + e.getMessage()));
            return null;
        }
    }

    private static Task delayed(Task task, After after, Instant now) {
        if (after.delay().isZero()) {
            return task;
        }
        Instant due = now.plus(after.delay());
        if (task.notBefore() != null && task.notBefore().isAfter(due)) {
            return task;
        }
        return new Task(task.id(), task.name(), task.type(), task.instructions(), task.values(), due, task.attempt(), task.submittedAt());
    }

    boolean holdsNothing() {
        return held.isEmpty();
    }

    /** The held sets, in submission order. */
    Collection<Task> heldTasks() {
        return held.values().stream().map(waiting -> waiting.task).toList();
    }

    /** Whether a set called {@code name} waits for others here. */
    boolean holds(String name) {
        return heldNames.containsKey(name);
    }

    /** Lets go of the held sets called {@code name} (cancelled by name), and returns them. */
    List<Task> release(String name) {
        if (!holds(name)) {
            return List.of();
        }
        List<Task> removed = new ArrayList<>();
        for (Held waiting : new ArrayList<>(held.values())) {
            if (waiting.task.name().equals(name)) {
                unhold(waiting.task.id());
                removed.add(waiting.task);
            }
        }
        return removed;
    }

    /**
     * Why a held set waits, for reports: {@code waits for prepare (running), sim-3 (pending)}; the first few names
     * it still waits for, with how they stand, as {@code stateOf} says (null for "pending").
     */
    String reason(Task task, Function<String, String> stateOf) {
        Held waiting = held.get(task.id());
        if (waiting == null) {
            return null;
        }
        List<String> open = new ArrayList<>();
        int more = 0;
        for (String name : waiting.upon != null ? waiting.upon.names() : waiting.after.condition().upstream()) {
            if (endedAs(name) != null) {
                continue;
            }
            if (open.size() < 5) {
                String state = stateOf.apply(name);
                open.add(name + " (" + (state == null ? holds(name) ? "waiting" : "pending" : state) + ")");
            } else {
                more++;
            }
        }
        return "waits for " + String.join(", ", open) + (more > 0 ? " and " + more + " more" : "")
                + (waiting.after.delay().isZero() ? "" : ", then " + waiting.after.delay().toMillis() / 1000.0 + " s");
    }
}
