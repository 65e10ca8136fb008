package org.taylorism.internal.engine;

import java.time.Instant;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;
import org.taylorism.AttemptReport;
import org.taylorism.PendingTask;
import org.taylorism.RunningWorker;
import org.taylorism.Task;
import org.taylorism.WorkerReport;

/**
 * Where every instruction set of the run is: pending (waiting for the scheduler, in submission order), delayed
 * (waiting for its {@code not_before} or a retry's backoff), running (one {@link Attempt} each, with its ticket),
 * or ended (its report, with the attempts before its last). Boss thread only; what reports and the scheduler
 * see of it are copies or read-only views.
 */
final class RunBook {

    private final LinkedHashMap<Long, Task> pending = new LinkedHashMap<>();
    private final PriorityQueue<Task> delayed = new PriorityQueue<>(
            Comparator.comparing(Task::notBefore).thenComparingLong(Task::id));
    private final LinkedHashMap<Long, Attempt> running = new LinkedHashMap<>();
    private final Set<String> runningNames = new HashSet<>();
    private final List<WorkerReport> ended = new ArrayList<>();
    private final BitSet tickets = new BitSet();
    /** Earlier attempts of tasks being retried, by task id. */
    private final Map<Long, List<AttemptReport>> earlierAttempts = new HashMap<>();
    private final Collection<RunningWorker> runningViews = new AbstractCollection<>() {
        @Override
        public Iterator<RunningWorker> iterator() {
            Iterator<Attempt> attempts = running.values().iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return attempts.hasNext();
                }

                @Override
                public RunningWorker next() {
                    return attempts.next().view;
                }
            };
        }

        @Override
        public int size() {
            return running.size();
        }
    };
    /** Sets a resumed run was given and leaves not run, as its resume policy says. */
    private final List<PendingTask> leftNotRun = new ArrayList<>();
    private int submitted;
    private int failures;

    /** Takes newly submitted sets: pending, or delayed while their {@code not_before} is ahead of {@code now}. */
    void submit(List<Task> tasks, Instant now) {
        submitted += tasks.size();
        for (Task task : tasks) {
            waitFor(task, now);
        }
    }

    /** Puts a task (a new one, or a retry) back to wait: pending, or delayed until its {@code notBefore}. */
    void waitFor(Task task, Instant now) {
        if (task.notBefore() != null && task.notBefore().isAfter(now)) {
            delayed.add(task);
        } else {
            pending.put(task.id(), task);
        }
    }

    /** Moves the delayed sets due by {@code now} to pending. */
    void releaseDue(Instant now) {
        while (!delayed.isEmpty() && !delayed.peek().notBefore().isAfter(now)) {
            Task due = delayed.poll();
            pending.put(due.id(), due);
        }
    }

    /** When the next delayed set is due, or null when none waits. */
    Instant nextDue() {
        return delayed.isEmpty() ? null : delayed.peek().notBefore();
    }

    /** Pending sets by id, in submission order; read-only. */
    Map<Long, Task> pending() {
        return Collections.unmodifiableMap(pending);
    }

    Task removePending(long id) {
        return pending.remove(id);
    }

    /** Removes every pending or delayed set called {@code name}, and returns them. */
    List<Task> removeWaiting(String name) {
        List<Task> removed = new ArrayList<>();
        pending.values().removeIf(task -> task.name().equals(name) && removed.add(task));
        delayed.removeIf(task -> task.name().equals(name) && removed.add(task));
        return removed;
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    int pendingCount() {
        return pending.size();
    }

    /** Whether no set waits, pending or delayed. */
    boolean nothingWaits() {
        return pending.isEmpty() && delayed.isEmpty();
    }

    /** The tickets of running workers, and of those being launched in the current round (which takes them). */
    BitSet tickets() {
        return tickets;
    }

    /** Gives back the ticket of a launch that did not happen. */
    void releaseTicket(int ticket) {
        tickets.clear(ticket);
    }

    boolean nameInUse(String name) {
        return runningNames.contains(name);
    }

    void started(Attempt attempt) {
        running.put(attempt.id(), attempt);
        runningNames.add(attempt.name());
    }

    /** Removes and returns the running attempt of task {@code id}, freeing its ticket and name; null when none runs. */
    Attempt ended(long id) {
        Attempt attempt = running.remove(id);
        if (attempt != null) {
            tickets.clear(attempt.view.ticket());
            runningNames.remove(attempt.name());
        }
        return attempt;
    }

    Attempt running(long id) {
        return running.get(id);
    }

    /** The running attempts, in launch order; a copy, so that stopping one may end it at once. */
    List<Attempt> runningAttempts() {
        return new ArrayList<>(running.values());
    }

    /** What the scheduler sees of the running workers; a read-only view. */
    Collection<RunningWorker> runningWorkers() {
        return runningViews;
    }

    boolean idle() {
        return running.isEmpty();
    }

    int runningCount() {
        return running.size();
    }

    /** Keeps the report of an attempt that is retried, for the task's final report. */
    void keepEarlierAttempt(long id, AttemptReport attempt) {
        earlierAttempts.computeIfAbsent(id, key -> new ArrayList<>()).add(attempt);
    }

    /** The attempts kept for task {@code id}, removed from the book; null when there were none. */
    List<AttemptReport> takeEarlierAttempts(long id) {
        List<AttemptReport> attempts = earlierAttempts.remove(id);
        return attempts == null ? null : List.copyOf(attempts);
    }

    /** Keeps the report a resumed run carries over from the run it resumes: it counts for nothing but the report. */
    void carriedOver(WorkerReport report) {
        ended.add(report);
    }

    /** Keeps a set a resumed run leaves not run: the report lists it with those that never started. */
    void leftNotRun(Task task, String reason) {
        leftNotRun.add(new PendingTask(task.name(), task.type().name(), task.instructions(), reason));
    }

    /** Records a task's last report; returns whether it counts as one more failure. */
    boolean record(WorkerReport report) {
        ended.add(report);
        if (report.status().isFailure()) {
            failures++;
            return true;
        }
        return false;
    }

    List<WorkerReport> endedReports() {
        return ended;
    }

    int failures() {
        return failures;
    }

    int submitted() {
        return submitted;
    }

    /**
     * Every set not launched, pending first in submission order, then delayed by due time, each with what
     * {@code pendingReason} or {@code delayedReason} says of it, then those a resumed run leaves not run.
     */
    List<PendingTask> waiting(Function<Task, String> pendingReason, Function<Task, String> delayedReason) {
        List<PendingTask> waiting = new ArrayList<>(pending.size() + delayed.size() + leftNotRun.size());
        for (Task task : pending.values()) {
            waiting.add(new PendingTask(task.name(), task.type().name(), task.instructions(), pendingReason.apply(task)));
        }
        List<Task> byDueTime = new ArrayList<>(delayed);
        byDueTime.sort(delayed.comparator());
        for (Task task : byDueTime) {
            waiting.add(new PendingTask(task.name(), task.type().name(), task.instructions(), delayedReason.apply(task)));
        }
        waiting.addAll(leftNotRun);
        return waiting;
    }
}
