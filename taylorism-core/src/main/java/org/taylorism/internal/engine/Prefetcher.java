package org.taylorism.internal.engine;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.Cause;
import org.taylorism.RunningWorker;
import org.taylorism.Task;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.WorkerOutcome;

/**
 * A warm pool's prefetch: tasks queued for a running worker's process, to start the moment that worker ends, so that
 * the process never waits for the Boss between two tasks.
 *
 * <p>Only with a scheduler that decides by counts alone ({@link org.taylorism.Scheduler#countsOnly}): after each round
 * it is asked, in a round of its own, what it would launch if a running worker had ended (that worker hidden, its
 * ticket free); the task it picks is queued behind that worker, with its ticket. A queued task stays pending (reports
 * list it so), but it is no longer the scheduler's, nor anyone's to remove: it is settled at the end of the worker
 * ahead of it, when the launcher says whether it started. Started, it runs from that instant, as any launched worker;
 * not started (the worker ahead failed or was stopped), it is the scheduler's again, in its place. Whatever changes
 * the rules (HALT, STOP, a reconfiguration, a cancel) withdraws what is queued: at once, unless it has started
 * already, in which case the end of the worker ahead shows it, and the Boss treats it as any running worker; a task
 * that went to the worker's process ahead of its turn is asked back, and that process says at the end of the worker
 * ahead whether it began it (until then, it stays queued).
 * Sub-tasks are never queued: their parent waits for them, and one queued behind it would wait for it in turn.
 * Tasks queued behind a paused worker wait for it, as its slot does.
 * Boss thread only.
 */
final class Prefetcher {

    private static final Logger log = LoggerFactory.getLogger(Prefetcher.class);
    /** The most tasks queued behind one worker, whatever its launcher says. */
    private static final int MAX_QUEUED = 8;

    private final RunBook book;
    private final GuardedScheduler scheduler;
    private final LaunchPlanner planner;
    private final GuardedChannel channel;
    private final LongFunction<Consumer<WorkerOutcome>> endOf;
    private final Consumer<Queued> notStarted;
    /** The tasks queued behind each running worker that has some, in the order they are to run, by its task id. */
    private final Map<Long, Deque<Queued>> behind = new HashMap<>();

    /**
     * @param endOf the end callback of the task of an id, as the launcher is to call it
     * @param notStarted where a queued task goes that will not start (withdrawn, or the worker ahead failed)
     */
    Prefetcher(RunBook book, GuardedScheduler scheduler, LaunchPlanner planner, GuardedChannel channel,
               LongFunction<Consumer<WorkerOutcome>> endOf, Consumer<Queued> notStarted) {
        this.notStarted = notStarted;
        this.book = book;
        this.scheduler = scheduler;
        this.planner = planner;
        this.channel = channel;
        this.endOf = endOf;
    }

    /** A task queued behind a running worker, with the ticket and CPUs it starts with. */
    static final class Queued {
        final Task task;
        final LaunchSpec spec;
        final GuardedLauncher.QueuedHandle handle;
        final int ticket;
        final List<Integer> cpus;
        final String ahead;
        /** Why it is not to run after all, once it is cancelled: it ends so if it did not start, is stopped if it did. */
        Cause cancelCause;
        /** What its report says when it did not start, and what its stop says when it did. */
        String notStartedReason;
        String stopReason;

        Queued(Task task, LaunchSpec spec, GuardedLauncher.QueuedHandle handle, int ticket, List<Integer> cpus, String ahead) {
            this.task = task;
            this.spec = spec;
            this.handle = handle;
            this.ticket = ticket;
            this.cpus = cpus;
            this.ahead = ahead;
        }
    }

    /**
     * Queues tasks behind each running worker whose process can take them, as the scheduler chooses them.
     *
     * @throws RuntimeException what the scheduler threw: the caller aborts the run, as for any round
     */
    void fill(Instant now) {
        // A worker that waits for its sub-tasks lends its slot: it counts again when they end, and a task queued
        // behind one of them would then run beside it.
        if (!scheduler.countsOnly() || book.lineage().anyLending()) {
            return;
        }
        for (Attempt ahead : book.runningAttempts()) {
            if (ahead.queueDeclined || ahead.stopCause != null || ahead.pausedAt != null || book.lineage().isLending(ahead.id())) {
                continue;
            }
            // The launcher says how many it takes (more while tasks are short); the bound guards against one that always does.
            for (int i = 0; i < MAX_QUEUED && !book.schedulable().isEmpty() && ahead.handle.queuesNext(); i++) {
                RunningWorker chosen = choose(ahead, now);
                if (chosen == null) {
                    return; // with a slot free, the scheduler launches nothing: nor would it for the next worker
                }
                if (!queue(ahead, chosen)) {
                    break;
                }
            }
        }
    }

    /** What the scheduler launches with {@code ahead} hidden and its ticket free; null for nothing. */
    private RunningWorker choose(Attempt ahead, Instant now) {
        List<RunningWorker> others = new ArrayList<>(book.runningWorkers());
        others.removeIf(worker -> worker.task().id() == ahead.id());
        BitSet tickets = (BitSet) book.tickets().clone();
        tickets.clear(ahead.view.ticket());
        // Wake-ups and rejections are the normal rounds' business: this one only looks ahead.
        SchedulingRound round = SchedulingRound.deciding(book.schedulable(), others, tickets, now, when -> { });
        scheduler.schedule(round);
        Iterator<RunningWorker> launched = round.launched().iterator();
        return launched.hasNext() ? launched.next() : null;
    }

    /** Queues {@code chosen} behind {@code ahead}; false when it could not (nothing more is queued behind it then). */
    private boolean queue(Attempt ahead, RunningWorker chosen) {
        Task task = chosen.task();
        if (book.lineage().isSubTask(task.id()) || task.type().isCommand()) {
            // A running worker waits for its sub-tasks: queued behind it (or behind anything) one could wait for it.
            // A program is no task for a JVM.
            return false;
        }
        if (book.nameInUse(task.name()) && !(task.name().equals(ahead.name()) && !book.isQueuedName(task.name()))) {
            return false; // it could not start beside that other worker (running, or queued): the normal round settles it
        }
        int ticket = ahead.view.ticket();
        // It runs in the process of the worker ahead, bound to the same CPUs.
        List<Integer> cpus = ahead.view.cpus();
        LaunchSpec spec = null;
        GuardedLauncher.QueuedHandle handle = null;
        try {
            spec = planner.plan(task, ticket, cpus, channel.open(task));
            handle = ahead.handle.queueNext(spec, endOf.apply(task.id()));
        } catch (IOException | RuntimeException e) {
            log.debug("Could not queue {} behind {}; it is launched the usual way", task.name(), ahead.name(), e);
        }
        if (handle == null) {
            channel.close(task);
            ahead.queueDeclined = true;
            return false;
        }
        book.queue(task);
        behind.computeIfAbsent(ahead.id(), id -> new ArrayDeque<>()).add(new Queued(task, spec, handle, ticket, cpus, ahead.name()));
        return true;
    }

    /**
     * Settles what was queued behind the worker of task {@code aheadId}, whose end has come: the task that started then
     * (at most one) goes to {@code started}, and those queued after it stay queued, behind it; those ahead of it, or
     * all of them when none started, are not started.
     */
    void settle(long aheadId, Consumer<Queued> started) {
        Deque<Queued> line = behind.isEmpty() ? null : behind.remove(aheadId);
        while (line != null && !line.isEmpty()) {
            Queued next = line.poll();
            book.unqueue(next.task);
            if (next.handle.started()) {
                if (!line.isEmpty()) {
                    behind.put(next.task.id(), line);
                }
                started.accept(next);
                return;
            }
            notStarted.accept(next);
        }
    }

    /** Withdraws everything queued: what has not started is the scheduler's again at once; what has runs as any worker. */
    void withdrawAll() {
        withdraw(queued -> true);
    }

    /**
     * Cancels the queued tasks {@code which} accepts: withdrawn, they end with {@code cause} and
     * {@code notStartedReason} at once; those that started already are stopped with {@code stopReason} when the end of
     * the worker ahead shows their start. Returns whether there was one.
     */
    boolean cancel(Predicate<Task> which, Cause cause, String notStartedReason, String stopReason) {
        boolean found = false;
        for (Deque<Queued> line : behind.values()) {
            for (Queued queued : line) {
                if (queued.cancelCause == null && which.test(queued.task)) {
                    queued.cancelCause = cause;
                    queued.notStartedReason = notStartedReason;
                    queued.stopReason = stopReason;
                    found = true;
                }
            }
        }
        withdraw(queued -> queued.cancelCause != null);
        return found;
    }

    /** Withdraws the queued tasks {@code which} accepts; those withdrawn go where tasks that did not start go, once all are. */
    private void withdraw(Predicate<Queued> which) {
        List<Queued> withdrawn = new ArrayList<>();
        for (Deque<Queued> line : behind.values()) {
            line.removeIf(queued -> which.test(queued) && queued.handle.withdraw() && withdrawn.add(queued));
        }
        behind.values().removeIf(Deque::isEmpty);
        for (Queued queued : withdrawn) {
            book.unqueue(queued.task);
            notStarted.accept(queued);
        }
    }

    /** Why a pending task waits when it is queued; null when it is not. */
    String whyWaiting(Task task) {
        if (!book.isQueued(task.id())) {
            return null;
        }
        for (Deque<Queued> line : behind.values()) {
            for (Queued queued : line) {
                if (queued.task.id() == task.id()) {
                    return "queued to start in the process of " + queued.ahead;
                }
            }
        }
        return null;
    }

    /**
     * Why {@code task} never started, as the report of a Boss that stopped listening says: {@code reason}, unless it is
     * still queued. Its withdrawal came too late then (it was sent to the process ahead), and the Boss, which does not
     * wait for the worker ahead to end, cannot know whether that process begins it.
     */
    String afterStopListening(Task task, String reason) {
        String queued = whyWaiting(task);
        return queued == null ? reason : queued + " when the Boss stopped listening (STOP_LISTENING), and not taken back in time:"
                + " it may still run there, unwatched";
    }
}
