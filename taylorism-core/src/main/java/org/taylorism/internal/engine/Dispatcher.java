package org.taylorism.internal.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.Boss.State;
import org.taylorism.Cause;
import org.taylorism.ErrorInfo;
import org.taylorism.HaltPolicy;
import org.taylorism.PendingTask;
import org.taylorism.Reconfiguration;
import org.taylorism.Report;
import org.taylorism.RetryPolicy;
import org.taylorism.RunStatus;
import org.taylorism.RunningWorker;
import org.taylorism.Scheduler;
import org.taylorism.Signal;
import org.taylorism.Task;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.internal.engine.Endings.Ending;

/**
 * The Boss's decisions, one message at a time, without a thread of its own: {@link Engine}'s thread hands it
 * each batch of messages ({@link #handleBatch}); tests do the same from a plain queue, with a manual clock and
 * timer and a recording launcher. After each batch comes one scheduling round: the
 * scheduler decides, then (and only then) the {@link Starter} launches what it chose; the {@link Prefetcher} then
 * queues, where it can, each running worker's next task in its process. Everything it reads and changes
 * is the run's: {@link RunBook} (where each set is), {@link Lifecycle} (where the run is), the
 * {@link Supervisor} (what runs, and stopping it).
 */
final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final GuardedScheduler scheduler;
    private final GuardedLauncher launcher;
    private HaltPolicy haltPolicy;
    private RetryPolicy retryPolicy;
    private final Listeners listeners;
    private final boolean verbose;
    private final int maxLenReport;
    private final Mailbox mailbox;
    private final Clock clock;
    private final Timer timer;
    private final LaunchPlanner planner;
    private final Recorder recorder;
    private final Resumption resumption;
    private final Supervisor supervisor;
    private final LiveWorkers live;
    private final BooleanSupplier closing;
    private final Lifecycle lifecycle = new Lifecycle();
    private final Lineage lineage = new Lineage();
    private final RunBook book;
    private final Flows flows;
    private final GuardedChannel channel;
    private final Starter starter;
    private final Prefetcher prefetcher;
    private final CompletableFuture<Report> finalReport = new CompletableFuture<>();
    private volatile Report lastPublished;
    /** When the timer will next post a wake-up for the delayed sets, or null. */
    private Instant nextWakeUp;
    private boolean drainWhileHaltedWarned;

    /**
     * @param resumption what to do with the sets of the run this one resumes ({@link Resumption#NONE} for none)
     * @param names every name submitted, as the intake keeps them
     * @param closing whether the Boss is being closed: nothing is launched any more
     */
    Dispatcher(EngineSettings settings, GuardedScheduler scheduler, GuardedLauncher launcher, LaunchPlanner planner, Recorder recorder,
               Resumption resumption, NameIndex names, Mailbox mailbox, Clock clock, Timer timer, ResourceMonitor monitor, LiveWorkers live,
               BooleanSupplier closing) {
        this.scheduler = scheduler;
        this.launcher = launcher;
        this.haltPolicy = settings.haltPolicy();
        this.retryPolicy = settings.retryPolicy();
        this.listeners = new Listeners(settings.listeners());
        this.verbose = settings.verbose();
        this.maxLenReport = settings.maxLenReport();
        this.mailbox = mailbox;
        this.clock = clock;
        this.timer = timer;
        this.planner = planner;
        this.recorder = recorder;
        this.resumption = resumption;
        this.flows = new Flows(this::released, (task, cause, why) -> endNotLaunched(task, -1, Ending.notLaunched(cause, cause.error(why))),
                this::latestReport, names);
        this.book = new RunBook(lineage, new EndedReports(settings.retainReports(), settings.retainFor()), flows);
        this.supervisor = new Supervisor(book, monitor, timer, clock, mailbox, settings.stopGracePeriod(),
                settings.defaultStallTimeout(), settings.memoryTolerance());
        this.live = live;
        this.closing = closing;
        this.channel = new GuardedChannel(settings.subTaskChannel());
        this.starter = new Starter(book, planner, launcher, channel, recorder, live, supervisor, listeners, settings.verbose(), clock, mailbox,
                closing, this::endNotLaunched);
        this.prefetcher = new Prefetcher(book, scheduler, planner, channel, id -> outcome -> starter.workerEnded(id, outcome),
                this::notStarted);
    }

    // ------------------------------------------------------------------------------------------------
    // What the engine asks.

    State state() {
        return lifecycle.state();
    }

    boolean over() {
        return lifecycle.over();
    }

    CompletableFuture<Report> finalReport() {
        return finalReport;
    }

    /** The last report published on SEND_REPORT, or null. */
    Report lastPublished() {
        return lastPublished;
    }

    // ------------------------------------------------------------------------------------------------
    // Messages.

    private void handle(Message message) {
        if (message instanceof Message.Submit submit) {
            onSubmit(submit);
        } else if (message instanceof Message.Lend lend) {
            lineage.lend(lend.parent(), book.running(lend.parent()) == null ? List.of() : lend.ids(), lend.done());
        } else if (message instanceof Message.TakeBack takeBack) {
            lineage.takeBack(takeBack.parent(), takeBack.done());
        } else if (message instanceof Message.StoreFailed failed) {
            log.error("{}; nothing more is launched, running workers finish", failed.error().getMessage());
            abort(ErrorInfo.of(failed.error()), null, State.STOPPING);
        } else if (message instanceof Message.Control control) {
            onSignal(control.signal());
        } else if (message instanceof Message.Reconfigure reconfigure) {
            onReconfigure(reconfigure.change());
        } else if (message instanceof Message.WorkerEnded end) {
            onWorkerEnded(end);
        } else if (message instanceof Message.ReportRequest request) {
            round();
            letGoOfOldReports();
            request.answer().complete(report(RunStatus.INTERIM));
        } else if (message instanceof Message.TimeUp timeUp) {
            supervisor.onTimeUp(timeUp);
        } else if (message instanceof Message.StartedRunning started) {
            supervisor.onStartedRunning(started);
        } else if (message instanceof Message.LimitHit hit) {
            supervisor.onLimitHit(hit);
        } else if (message instanceof Message.Cancel cancel) {
            cancel.answer().complete(onCancel(cancel.name()));
        } else if (message instanceof Message.Pause pause) {
            try {
                pause.answer().complete(supervisor.pause(pause.name(), pause.pause()));
            } catch (RuntimeException e) {
                pause.answer().completeExceptionally(e);
            }
        }
        // A WakeUp only asks for the scheduling round that follows every batch of messages.
    }

    /**
     * Handles one batch, as the Boss thread does: {@code first}, then whatever {@code more} gives until it gives
     * null, then a scheduling round, then the end of the run if it has come. Stops as soon as the run is over.
     */
    void handleBatch(Message first, Supplier<Message> more) {
        handle(first);
        Message next;
        while (!over() && (next = more.get()) != null) {
            handle(next);
        }
        if (!over()) {
            round();
            letGoOfOldReports();
            finishIfOver();
        }
    }

    private void onSubmit(Message.Submit submit) {
        Task parent = submit.parent();
        List<String> keys = recorder.accepted(submit.tasks(), submit.digests(), parent);
        if (parent == null) {
            flows.expect(submit.tasks(), submit.waits());
            List<Task> toRun = resumption.active() ? resumed(submit.tasks(), keys) : submit.tasks();
            book.submit(toRun, flows.admit(toRun, submit.waits(), clock.instant()), clock.instant());
        } else if (book.running(parent.id()) != null && book.running(parent.id()).number() == parent.attempt()) {
            // Sub-tasks are not resumed: the parent that submits them again runs again, and reads what they give.
            lineage.adopt(parent.id(), submit.tasks());
            book.submit(submit.tasks(), submit.tasks(), clock.instant());
        } else {
            book.submit(submit.tasks(), submit.tasks(), clock.instant());
            for (Task task : submit.tasks()) {
                book.removeWaiting(task.id());
                endNotLaunched(task, -1, Ending.notLaunched(Cause.CANCELLED, Cause.CANCELLED.error("its parent '" + parent.name()
                        + "' (attempt " + parent.attempt() + ") no longer runs")));
            }
        }
        wakeUpForDelayed();
    }

    /**
     * Hands what changed to the store, then lets go of the reports beyond the bounds: the store has them all. Once it
     * failed, it may not: every report is kept from then on, for the run's own report.
     */
    private void letGoOfOldReports() {
        recorder.endOfRound();
        if (!recorder.storeFailed()) {
            book.ended().letGoOfOld(clock.instant());
        }
    }

    /**
     * The tasks of a resumed run that are to run; the others are carried over from the run it resumes, or left
     * not run, as its resume policy says.
     */
    private List<Task> resumed(List<Task> tasks, List<String> keys) {
        List<Task> toRun = new ArrayList<>(tasks.size());
        List<Resumption.Decision> decisions = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            Task task = tasks.get(i);
            Resumption.Decision decision = resumption.decide(keys.get(i), task.name());
            decisions.add(decision);
            if (decision instanceof Resumption.Carry carry) {
                book.carriedOver(carry.report(), clock.instant());
                recorder.ended(task, carry.report(), false);
                listeners.ended(carry.report());
                flows.ended(task.name(), carry.report().status(), carry.report(), clock.instant());
            } else if (decision instanceof Resumption.NotRun notRun) {
                book.leftNotRun(task, notRun.reason());
                flows.ended(task.name(), WorkerStatus.CANCELLED, null, clock.instant());
            } else {
                toRun.add(task);
            }
        }
        log.info("{}", resumption.summary(decisions, tasks.stream().map(Task::name).toList()));
        return toRun;
    }

    /** New rules: the round that follows this batch of messages already schedules with them. */
    private void onReconfigure(Reconfiguration change) {
        if (change.scheduler() != null) {
            scheduler.replace(change.scheduler());
            prefetcher.withdrawAll();
        }
        if (change.haltPolicy() != null) {
            haltPolicy = change.haltPolicy();
        }
        if (change.retryPolicy() != null) {
            retryPolicy = change.retryPolicy();
        }
        log.info("Reconfigured: {}", change);
        listeners.reconfigured(change);
    }

    private void onSignal(Signal signal) {
        log.debug("Signal {} received", signal);
        // A switch expression: a new signal does not compile until it is given its effect.
        Runnable effect = switch (signal) {
            case HALT -> () -> {
                lifecycle.halt(true);
                prefetcher.withdrawAll();
            };
            case RESUME -> () -> lifecycle.halt(false);
            case SEND_REPORT -> this::publishReport;
            case STOP_LISTENING -> this::stopListening;
            case END, STOP, STOP_RIGHTNOW -> () -> moveTo(Lifecycle.targetOf(signal));
        };
        effect.run();
    }

    private void moveTo(State target) {
        if (!lifecycle.moveTo(target)) {
            return;
        }
        if (target != State.DRAINING) {
            prefetcher.withdrawAll();
        }
        if (target == State.KILLING) {
            supervisor.stopAll(lifecycle.killReason(haltPolicy));
        } else if (target == State.STOPPING) {
            // Nothing more launches: a running parent would wait for its pending sub-tasks forever, and the run with it.
            for (Task task : book.removeWaitingSubTasks()) {
                endNotLaunched(task, -1, Ending.notLaunched(Cause.CANCELLED, Cause.CANCELLED.error("the run is stopping: "
                        + "nothing more is launched")));
            }
        }
    }

    private void publishReport() {
        Report report = report(RunStatus.INTERIM);
        lastPublished = report;
        listeners.reportPublished(report);
    }

    private void stopListening() {
        if (!book.idle()) {
            log.info("STOP_LISTENING: {} running workers go on unwatched until they end or the Boss is closed", book.runningCount());
        }
        prefetcher.withdrawAll();
        Lifecycle.Finish finish = Lifecycle.stopListening(book.nothingWaits());
        finish(finish, task -> prefetcher.afterStopListening(task, finish.neverStartedReason()));
    }

    private boolean onCancel(String name) {
        boolean found = supervisor.cancel(name) | prefetcher.cancel(task -> task.name().equals(name), Cause.CANCELLED,
                "cancelled by name before it started", "cancelled by name");
        for (Task task : book.removeWaiting(name)) {
            endNotLaunched(task, -1, Ending.notLaunched(Cause.CANCELLED, Cause.CANCELLED.error("cancelled by name before it started")));
            found = true;
        }
        return found;
    }

    // ------------------------------------------------------------------------------------------------
    // Scheduling and launching.

    /** Releases the delayed sets that are due, then lets the scheduler decide and launches what it chose. */
    private void round() {
        Instant now = clock.instant();
        book.releaseDue(now);
        wakeUpForDelayed();
        if (!lifecycle.canLaunch() || !book.hasPending()) {
            return;
        }
        SchedulingRound round = SchedulingRound.deciding(book.schedulable(), book.runningWorkers(), book.tickets(), now, this::wakeUpAt);
        try {
            scheduler.schedule(round);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            round.undo();
            schedulerFailed(e);
            return;
        }
        round.rejected().forEach((id, reason) -> endNotLaunched(book.removePending(id), -1,
                Ending.notLaunched(Cause.REJECTED, Cause.REJECTED.error("scheduler " + scheduler.name() + " rejected it: " + reason))));
        for (RunningWorker launch : round.launched()) {
            if (lifecycle.goesOn()) {
                book.removePending(launch.task().id());
                starter.start(launch);
            } else {
                // A failure earlier in this round aborted the run under fail-fast: the rest stays pending.
                book.releaseTicket(launch.ticket());
            }
        }
        if (!round.launched().isEmpty()) {
            launcher.flush();
        }
        if (lifecycle.canLaunch() && !closing.getAsBoolean()) {
            try {
                prefetcher.fill(now);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                schedulerFailed(e);
            }
        }
    }

    private void schedulerFailed(Throwable e) {
        log.error("Scheduler {} threw; the run is aborted", scheduler.name(), e);
        abort(new ErrorInfo(e.getClass().getName(), "scheduler " + scheduler.name() + " failed: " + e.getMessage(),
                ErrorInfo.of(e).stackTrace()), null, State.KILLING);
    }

    private void wakeUpForDelayed() {
        Instant next = book.nextDue();
        if (next != null && (nextWakeUp == null || next.isBefore(nextWakeUp) || !nextWakeUp.isAfter(clock.instant()))) {
            nextWakeUp = next;
            timer.postAt(next, Message.WakeUp.INSTANCE);
        }
    }

    private void wakeUpAt(Instant when) {
        timer.postAt(when, Message.WakeUp.INSTANCE);
    }

    // ------------------------------------------------------------------------------------------------
    // Ends, retries and halts.

    private void onWorkerEnded(Message.WorkerEnded end) {
        endAttempt(end);
        prefetcher.settle(end.id(), next -> startedQueued(next, end.at()));
    }

    /** A queued task that will not start: the scheduler's again, in its place, or ended if it was cancelled. */
    private void notStarted(Prefetcher.Queued next) {
        channel.close(next.task);
        if (next.cancelCause != null) {
            book.removePending(next.task.id());
            endNotLaunched(next.task, -1, Ending.notLaunched(next.cancelCause, next.cancelCause.error(next.notStartedReason)));
        }
    }

    /** A queued task that started at {@code at}: running, and stopped at once if it was cancelled or the run is being killed. */
    private void startedQueued(Prefetcher.Queued next, Instant at) {
        Task task = next.task;
        book.removePending(task.id());
        book.tickets().set(next.ticket);
        Attempt attempt = starter.begin(task, next.ticket, next.cpus, next.spec, next.handle, at);
        if (next.cancelCause != null) {
            supervisor.stop(attempt, next.cancelCause, next.stopReason);
        } else if (lifecycle.state() == State.KILLING) {
            supervisor.stop(attempt, Cause.STOPPED, lifecycle.killReason(haltPolicy));
        }
    }

    private void endAttempt(Message.WorkerEnded end) {
        live.endHandled(end.id());
        Attempt attempt = book.ended(end.id());
        if (attempt == null) {
            return;
        }
        Long peakKb = larger(supervisor.ended(attempt), end.outcome().selfPeakRssKb());
        Ending ending = Endings.classify(attempt, end.outcome());
        Task task = attempt.task();
        int ticket = attempt.view.ticket();
        channel.close(task);
        lineage.attemptEnded(task.id());
        if (ending.status() != WorkerStatus.SUCCEEDED) {
            abandonSubTasks(task, ending);
        }
        if (lifecycle.goesOn() && retryPolicy.retries(task.attempt(), ending.status(), ending.exitCode(), ending.error())) {
            WorkerReport failed = Endings.report(task, attempt, ticket, ending, end.at(), peakKb, null);
            recorder.ended(task, failed, true);
            retry(attempt, ending.cause(), failed);
            return;
        }
        recordEnd(task, Endings.report(task, attempt, ticket, ending, end.at(), peakKb, book.takeEarlierAttempts(task.id())));
    }

    /** A parent's attempt failed: what it submitted and has not ended is cancelled (pending dropped, running stopped). */
    private void abandonSubTasks(Task parent, Ending ending) {
        String why = "its parent '" + parent.name() + "' " + ending.status().jsonName() + " (" + ending.cause().jsonName() + ")";
        for (Long id : lineage.descendants(parent.id())) {
            Task waiting = book.removeWaiting(id);
            if (waiting != null) {
                endNotLaunched(waiting, -1, Ending.notLaunched(Cause.CANCELLED, Cause.CANCELLED.error(why + " before it started")));
            } else if (book.running(id) != null && book.running(id).stopCause == null) {
                supervisor.stop(book.running(id), Cause.CANCELLED, why);
            }
        }
    }

    private static Long larger(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Long.valueOf(Math.max(a, b));
    }

    /** Puts the task back for another attempt, with more memory or time when that is what it lacked. */
    private void retry(Attempt attempt, Cause cause, WorkerReport failed) {
        book.keepEarlierAttempt(attempt.id(), Endings.earlierAttempt(attempt, failed));
        Instant now = clock.instant();
        Task again = Retries.nextAttempt(attempt, cause, failed, retryPolicy, scheduler.maxMemoryMb(), now);
        Duration backoff = Duration.between(now, again.notBefore());
        log.info("Worker {} {} ({}); attempt {} of {} in {} ms", again.name(), failed.status().jsonName(), failed.cause(),
                again.attempt(), retryPolicy.maxAttempts(), backoff.toMillis());
        listeners.retrying(failed, backoff);
        book.waitFor(again, now);
        wakeUpForDelayed();
    }

    /** A set that waited for others may go. */
    private void released(Task task) {
        book.waitFor(task, clock.instant());
        wakeUpForDelayed();
    }

    private WorkerReport latestReport(String name) {
        return book.ended().latestOf(name);
    }

    private void endNotLaunched(Task task, int ticket, Ending ending) {
        recordEnd(task, Endings.report(task, null, ticket, ending, clock.instant(), null, book.takeEarlierAttempts(task.id())));
    }

    /** A task's last attempt ended: its report is kept, recorded and told, and a halt policy may stop the run. */
    private void recordEnd(Task task, WorkerReport report) {
        boolean failure = book.record(report, clock.instant());
        lineage.ended(task.id());
        recorder.ended(task, report, false);
        if (verbose) {
            log.info("Worker {} {}: {}", report.name(), report.status().jsonName(), Endings.summary(report, maxLenReport));
        } else {
            log.debug("Worker {} {}", report.name(), report.status().jsonName());
        }
        listeners.ended(report);
        flows.ended(report.name(), report.status(), report, clock.instant());
        if (failure && lifecycle.abortCause() == null && lifecycle.goesOn() && haltPolicy.halts(book.failures(), book.submitted())) {
            log.error("Worker {} {}: {}; halt policy {} stops the run", report.name(), report.status().jsonName(),
                    report.error() == null ? "" : report.error().oneLine(), haltPolicy);
            abort(report.error(), report.name(), haltPolicy.when() == HaltPolicy.When.NOW ? State.KILLING : State.STOPPING);
        }
    }

    /** Aborts the run (the first abort says why) and moves it to {@code to}: KILLING, or STOPPING to let workers finish. */
    private void abort(ErrorInfo error, String worker, State to) {
        if (lifecycle.abort(error, worker)) {
            moveTo(to);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The end of the run, and reports.

    private void finishIfOver() {
        Lifecycle.Finish finish = lifecycle.finishNow(book.idle(), book.nothingWaits());
        if (finish != null) {
            finish(finish);
        } else if (lifecycle.state() == State.DRAINING && book.idle() && lifecycle.halted() && book.hasPending()
                && !drainWhileHaltedWarned) {
            drainWhileHaltedWarned = true;
            log.warn("END received while halted: {} pending instruction sets wait for RESUME", book.pendingCount());
        }
    }

    private void finish(Lifecycle.Finish finish) {
        finish(finish, task -> finish.neverStartedReason());
    }

    /** @param whyNeverStarted what the report says of a pending set, which never started */
    private void finish(Lifecycle.Finish finish, Function<Task, String> whyNeverStarted) {
        List<PendingTask> never = book.waiting(whyNeverStarted, task -> finish.neverStartedReason());
        Report built = report(finish.status(), never);
        lifecycle.terminate();
        // Closed before the report is out: whoever sees the run over finds the inbox closed too.
        mailbox.close();
        timer.close();
        Report report = recorder.finish(built, finish.neverStartedReason());
        String gone = resumption.gone();
        if (gone != null) {
            log.info("{}", gone);
        }
        never.forEach(listeners::cancelled);
        listeners.runEnded(report);
        if (verbose) {
            log.info("Run {}: {}", finish.status().jsonName(), report.counts());
        }
        finalReport.complete(report);
    }

    /** Last resort when the Boss thread itself failed: kill everything and still hand out a report. */
    void breakDown(Throwable cause) {
        try {
            lifecycle.brokeDown(ErrorInfo.of(cause));
            live.killAll();
            if (!finalReport.isDone()) {
                finish(new Lifecycle.Finish(RunStatus.FAILED, "the Boss broke down"));
            }
        } catch (RuntimeException | Error e) {
            e.addSuppressed(cause);
            finalReport.completeExceptionally(e);
        } finally {
            lifecycle.terminate();
        }
    }

    private Report report(RunStatus status) {
        Instant now = clock.instant();
        Scheduler.Round view = SchedulingRound.readOnly(book.pending(), book.runningWorkers(), now);
        return report(status, book.waiting(task -> whyWaiting(task, view),
                task -> NotBefore.describe(task.notBefore(), now, clock.getZone())));
    }

    private Report report(RunStatus status, List<PendingTask> waiting) {
        Lifecycle.Abort abort = lifecycle.abortCause();
        return Report.of(status, book.ended().held(), waiting, book.runningReports(supervisor::peakKb), abort == null ? null : abort.error(),
                abort == null ? null : abort.worker(), planner.runDirectory(), recorder.runId(), book.ended().letGo());
    }

    private String whyWaiting(Task task, Scheduler.Round view) {
        if (lifecycle.state().compareTo(State.STOPPING) >= 0) {
            return "not launched: " + lifecycle.state().name().toLowerCase(Locale.ROOT);
        }
        if (lifecycle.halted()) {
            return "halted";
        }
        String queued = prefetcher.whyWaiting(task);
        return queued != null ? queued : scheduler.whyWaiting(task, view);
    }
}
