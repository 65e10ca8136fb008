package org.taylorism.internal.engine;

import java.time.Instant;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
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
import org.taylorism.RunningReport;
import org.taylorism.RunningWorker;
import org.taylorism.Task;
import org.taylorism.WorkerReport;

/**
 * Where every instruction set of the run is: pending (waiting for the scheduler, sub-tasks first, each kind in
 * submission order: a sub-task exists because a running worker needs it, and the sooner it runs the sooner
 * that worker gives its slot back), delayed
 * (waiting for its {@code not_before} or a retry's backoff), running (one {@link Attempt} each, with its ticket),
 * or ended (its report, with the attempts before its last); sets that wait for other sets are held by {@link Flows}. Boss thread only; what reports and the scheduler
 * see of it are copies or read-only views.
 */
final class RunBook {

    private final Lineage lineage;
    private final Flows flows;
    private final LinkedHashMap<Long, Task> pendingSubTasks = new LinkedHashMap<>();
    private final LinkedHashMap<Long, Task> pendingSets = new LinkedHashMap<>();
    private final Map<Long, Task> pending = new PendingView(pendingSubTasks, pendingSets);
    private final PriorityQueue<Task> delayed = new PriorityQueue<>(
            Comparator.comparing(Task::notBefore).thenComparingLong(Task::id));
    private final LinkedHashMap<Long, Attempt> running = new LinkedHashMap<>();
    private final Set<String> runningNames = new HashSet<>();
    private final EndedReports ended;
    private final BitSet tickets = new BitSet();
    /** Earlier attempts of tasks being retried, by task id. */
    private final Map<Long, List<AttemptReport>> earlierAttempts = new HashMap<>();
    private final Collection<RunningWorker> runningViews = new AbstractCollection<>() {
        @Override
        public Iterator<RunningWorker> iterator() {
            // A worker that waits for its sub-tasks lends its slot: the scheduler does not see it.
            return Iterators.filtered(running.values().iterator(), attempt -> !lineage.isLending(attempt.id()), attempt -> attempt.view);
        }

        @Override
        public int size() {
            if (!lineage.anyLending()) {
                return running.size();
            }
            return (int) running.keySet().stream().filter(id -> !lineage.isLending(id)).count();
        }
    };
    /**
     * Pending sets queued behind a running worker, in its process ({@link Prefetcher}): still pending, and listed so,
     * but no longer the scheduler's to launch, nor anyone's to remove (the Prefetcher settles them).
     */
    private final Set<Long> queued = new HashSet<>();
    private final Map<String, Integer> queuedNames = new HashMap<>();
    private final Map<Long, Task> schedulable = new AbstractMap<>() {
        @Override
        public int size() {
            return pending.size() - queued.size();
        }

        @Override
        public boolean containsKey(Object key) {
            return !queued.contains(key) && pending.containsKey(key);
        }

        @Override
        public Task get(Object key) {
            return queued.contains(key) ? null : pending.get(key);
        }

        @Override
        public Collection<Task> values() {
            return new AbstractCollection<>() {
                @Override
                public Iterator<Task> iterator() {
                    return Iterators.filtered(pending.values().iterator(), task -> !queued.contains(task.id()), task -> task);
                }

                @Override
                public int size() {
                    return pending.size() - queued.size();
                }
            };
        }

        @Override
        public Set<Entry<Long, Task>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<Long, Task>> iterator() {
                    // PendingView's entries are read-only already.
                    return Iterators.filtered(pending.entrySet().iterator(), entry -> !queued.contains(entry.getKey()), entry -> entry);
                }

                @Override
                public int size() {
                    return pending.size() - queued.size();
                }
            };
        }
    };
    /** Sets a resumed run was given and leaves not run, as its resume policy says. */
    private final List<PendingTask> leftNotRun = new ArrayList<>();
    private int submitted;
    private int failures;

    /**
     * @param ended where the reports of ended sets are held
     * @param flows where sets that wait for other sets are held
     */
    RunBook(Lineage lineage, EndedReports ended, Flows flows) {
        this.lineage = lineage;
        this.ended = ended;
        this.flows = flows;
    }

    /**
     * Counts newly submitted sets, and takes those {@code ready} (the others wait for other sets, or ended already):
     * pending, or delayed while their {@code not_before} is ahead of {@code now}.
     */
    void submit(List<Task> accepted, List<Task> ready, Instant now) {
        submitted += accepted.size();
        for (Task task : ready) {
            waitFor(task, now);
        }
    }

    /** Puts a task (a new one, or a retry) back to wait: pending, or delayed until its {@code notBefore}. */
    void waitFor(Task task, Instant now) {
        if (task.notBefore() != null && task.notBefore().isAfter(now)) {
            delayed.add(task);
        } else {
            queueOf(task).put(task.id(), task);
        }
    }

    /** Moves the delayed sets due by {@code now} to pending. */
    void releaseDue(Instant now) {
        while (!delayed.isEmpty() && !delayed.peek().notBefore().isAfter(now)) {
            Task due = delayed.poll();
            queueOf(due).put(due.id(), due);
        }
    }

    /** When the next delayed set is due, or null when none waits. */
    Instant nextDue() {
        return delayed.isEmpty() ? null : delayed.peek().notBefore();
    }

    private LinkedHashMap<Long, Task> queueOf(Task task) {
        return lineage.isSubTask(task.id()) ? pendingSubTasks : pendingSets;
    }

    /** Pending sets by id, sub-tasks first, each kind in submission order; read-only. */
    Map<Long, Task> pending() {
        return pending;
    }

    /** The pending sets the scheduler may launch: all but those queued behind a running worker; read-only. */
    Map<Long, Task> schedulable() {
        return queued.isEmpty() ? pending : schedulable;
    }

    /**
     * The pending {@code task} is queued behind a running worker: the scheduler no longer sees it, and its name is in
     * use (it is as good as running: another set of that name launched meanwhile would run beside it).
     */
    void queue(Task task) {
        queued.add(task.id());
        queuedNames.merge(task.name(), 1, Integer::sum);
    }

    /** The pending {@code task} is no longer queued: it started (and is removed), or is the scheduler's again. */
    void unqueue(Task task) {
        if (queued.remove(task.id())) {
            queuedNames.computeIfPresent(task.name(), (name, count) -> count > 1 ? count - 1 : null);
        }
    }

    boolean isQueued(long id) {
        return queued.contains(id);
    }

    boolean isQueuedName(String name) {
        return queuedNames.containsKey(name);
    }

    Task removePending(long id) {
        Task task = pendingSubTasks.remove(id);
        return task != null ? task : pendingSets.remove(id);
    }

    /** Removes every pending (but queued), delayed or held set called {@code name}, and returns them. */
    List<Task> removeWaiting(String name) {
        List<Task> removed = removeWaitingIf(task -> task.name().equals(name));
        removed.addAll(flows.release(name));
        return removed;
    }

    /** Removes every pending or delayed sub-task but those queued behind a running worker, and returns them. */
    List<Task> removeWaitingSubTasks() {
        List<Task> removed = new ArrayList<>();
        pendingSubTasks.values().removeIf(task -> !queued.contains(task.id()) && removed.add(task));
        delayed.removeIf(task -> lineage.isSubTask(task.id()) && removed.add(task));
        return removed;
    }

    /** Removes the pending or delayed set of task {@code id}, and returns it; null when it does not wait, or is queued. */
    Task removeWaiting(long id) {
        if (queued.contains(id)) {
            return null;
        }
        Task task = removePending(id);
        if (task != null) {
            return task;
        }
        List<Task> removed = new ArrayList<>(1);
        delayed.removeIf(waiting -> waiting.id() == id && removed.add(waiting));
        return removed.isEmpty() ? null : removed.get(0);
    }

    private List<Task> removeWaitingIf(java.util.function.Predicate<Task> which) {
        List<Task> removed = new ArrayList<>();
        pendingSubTasks.values().removeIf(task -> !queued.contains(task.id()) && which.test(task) && removed.add(task));
        pendingSets.values().removeIf(task -> !queued.contains(task.id()) && which.test(task) && removed.add(task));
        delayed.removeIf(task -> which.test(task) && removed.add(task));
        return removed;
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    int pendingCount() {
        return pending.size();
    }

    /** Whether no set waits, pending, delayed or for other sets. */
    boolean nothingWaits() {
        return pending.isEmpty() && delayed.isEmpty() && flows.holdsNothing();
    }

    /** Lineage of the run's sub-tasks. */
    Lineage lineage() {
        return lineage;
    }

    /** The tickets of running workers, and of those being launched in the current round (which takes them). */
    BitSet tickets() {
        return tickets;
    }

    /** Gives back the ticket of a launch that did not happen. */
    void releaseTicket(int ticket) {
        tickets.clear(ticket);
    }

    /** Whether a running worker, or a task queued behind one, has this name. */
    boolean nameInUse(String name) {
        return runningNames.contains(name) || queuedNames.containsKey(name);
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

    /** What reports say of the running workers, in launch order, with the peak memory {@code peakKb} gives of each. */
    List<RunningReport> runningReports(Function<Attempt, Long> peakKb) {
        List<RunningReport> reports = new ArrayList<>(running.size());
        for (Attempt attempt : running.values()) {
            Long peak = peakKb.apply(attempt);
            RunningWorker view = attempt.view;
            reports.add(new RunningReport(attempt.name(), attempt.task().type().name(), view.ticket(), attempt.number(),
                    view.startedAt(), view.cpus().isEmpty() ? null : view.cpus(), attempt.handle.node(),
                    peak == null ? null : peak / 1024, attempt.pausedAt != null));
        }
        return reports;
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
    void carriedOver(WorkerReport report, Instant now) {
        ended.add(report, now);
    }

    /** Keeps a set a resumed run leaves not run: the report lists it with those that never started. */
    void leftNotRun(Task task, String reason) {
        leftNotRun.add(new PendingTask(task.name(), task.type().name(), task.instructions(), reason));
    }

    /** Records a task's last report; returns whether it counts as one more failure. */
    boolean record(WorkerReport report, Instant now) {
        ended.add(report, now);
        if (report.status().isFailure()) {
            failures++;
            return true;
        }
        return false;
    }

    /** The reports of ended sets held (all, unless the Boss lets old ones go), in completion order. */
    EndedReports ended() {
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
     * {@code pendingReason} or {@code delayedReason} says of it, then those that wait for other sets, with what they
     * wait for, then those a resumed run leaves not run.
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
        for (Task task : flows.heldTasks()) {
            waiting.add(new PendingTask(task.name(), task.type().name(), task.instructions(),
                    flows.reason(task, name -> runningNames.contains(name) ? "running" : null)));
        }
        waiting.addAll(leftNotRun);
        return waiting;
    }
}
