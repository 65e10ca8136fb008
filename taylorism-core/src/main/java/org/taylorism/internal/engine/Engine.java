package org.taylorism.internal.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.Boss;
import org.taylorism.Reconfiguration;
import org.taylorism.Report;
import org.taylorism.RunStoreException;
import org.taylorism.Signal;
import org.taylorism.Task;
import org.taylorism.TaylorismException;
import org.taylorism.spi.PriorRun;
import org.taylorism.spi.RunStart;

/**
 * The engine behind one {@link Boss}: the thread that owns the run, and the threads around it. The Boss is its
 * public face; everything else in this package is the engine's, each class one concern.
 *
 * <pre>
 * Threads
 * -------
 * taylorism-boss-N         owns the run. It takes messages from the Inbox one at a time, in arrival order,
 *                          and hands each to the Dispatcher; after each batch, the Dispatcher holds a
 *                          scheduling round (the scheduler decides, then the launcher starts what it chose)
 *                          and ends the run if it is over. Nothing else touches the run's state (RunBook,
 *                          Lifecycle, Supervisor), so none of it is locked.
 * callers' threads         match instruction sets (Intake, pure) and post messages through the Inbox's gate,
 *                          whose one lock makes "may this still be posted?" and the posting one step.
 * launchers' threads       report ends (the spawner's reader, the JDK's process reaper, a pool's readers);
 *                          an end is a message like any other.
 * taylorism-boss-N-timer   the engine's Timer: posts timeouts, delayed starts and wake-ups, on the engine's
 *                          Clock (tests replace both, and time passes when they say).
 * taylorism-monitor-N      the ResourceMonitor: samples memory and output, posts the limits it sees hit.
 * taylorism-boss-N-shutdown  the JVM shutdown hook: kills every worker still alive (LiveWorkers).
 *
 * No plug-in (scheduler, launcher, listener) is called with a lock held, and none can kill the Boss thread:
 * GuardedScheduler, GuardedLauncher and Listeners turn their failures into an aborted run, a failed worker or
 * a log line. If the Boss thread fails all the same, it kills every worker and still hands out a report.
 *
 * Lifecycle (Lifecycle.java)
 * ---------
 *   LISTENING --END------------> DRAINING --(nothing pending, nothing running)---------------> TERMINATED
 *   LISTENING/DRAINING --STOP--> STOPPING --(nothing running)--------------------------------> TERMINATED
 *   any but TERMINATED --STOP_RIGHTNOW, a halt now, a broken scheduler, close()--> KILLING
 *                        KILLING --(every stopped worker's end collected)-------------------> TERMINATED
 *   any but TERMINATED --STOP_LISTENING--------------------------------------------------------> TERMINATED
 *
 * States only move forward in that order (a STOP after STOP_RIGHTNOW changes nothing). Orthogonally, "halted"
 * (HALT/RESUME; a Boss starts halted) forbids launching in LISTENING and DRAINING. Instructions are accepted
 * while no END or STOP of any kind was sent (the Inbox refuses them after, naming the signal). KILLING always
 * ends: stopping is TERM, then KILL after the grace period, and launchers report every end. In TERMINATED the
 * final report is set once and handed to every caller, any number of times.
 *
 * Shutdown, in two phases
 * -----------------------
 * close() first asks the run to end (STOP_RIGHTNOW) and waits for its final report, which comes once every
 * stopped worker's end is in; then it kills whatever still lives (workers STOP_LISTENING left running), waits
 * for the Boss thread, and closes the monitor, the timer and the launcher, in that order.
 * </pre>
 */
public final class Engine {

    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    private final GuardedLauncher launcher;
    private final Inbox inbox = new Inbox();
    private final Intake intake;
    private final Dispatcher dispatcher;
    private final LiveWorkers live = new LiveWorkers();
    private final ResourceMonitor monitor;
    private final Timer timer;
    private final Duration stopGracePeriod;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Thread thread;
    private final Thread shutdownHook;

    private Engine(EngineSettings settings, GuardedScheduler scheduler) {
        Clock clock = Clock.systemDefaultZone();
        int number = NUMBERS.incrementAndGet();
        String threadName = "taylorism-boss-" + number;
        this.launcher = new GuardedLauncher(settings.launcher());
        this.stopGracePeriod = settings.stopGracePeriod();
        // The run resumed is found (and what its Boss left running stopped) before this run is recorded: else it
        // would be the latest run of its source itself.
        PriorRun prior = settings.resume() == null ? null
                : Resumption.find(settings.store(), settings.resume(), settings.source(), settings.launcher());
        AtomicReference<RunStoreException> storeFailure = new AtomicReference<>();
        Recorder recorder = settings.store() == null ? Recorder.NONE : new Recorder(settings.store().begin(
                new RunStart(clock.instant(), settings.source(), scheduler.name(), settings.haltPolicy().toString(),
                        settings.retryPolicy().toString(), settings.recordedOptions(), settings.runDirectory(),
                        prior == null ? null : prior.runId()),
                failure -> {
                    storeFailure.compareAndSet(null, failure);
                    inbox.post(new Message.StoreFailed(failure));
                }), storeFailure);
        Resumption resumption = prior == null ? Resumption.NONE : new Resumption(prior, settings.resume().policy());
        this.intake = new Intake(settings.registry(), scheduler::keysRead, clock, new AtomicLong(1), settings.store() != null);
        this.monitor = new ResourceMonitor(Supervisor.alarmTo(inbox), settings.sampleInterval(), "taylorism-monitor-" + number);
        this.timer = new ThreadTimer(threadName + "-timer", clock, inbox);
        ClassDataArchive archive = settings.classDataSharing()
                ? ClassDataArchive.forWorkers(settings.javaExecutable(), settings.javaOptions(), settings.classpath()) : null;
        LaunchPlanner planner = new LaunchPlanner(settings, recorder.runDirectory(), archive, launcher.readsTaskFiles());
        this.dispatcher = new Dispatcher(settings, scheduler, launcher, planner, recorder, resumption, intake.names(), inbox, clock, timer,
                monitor, live, closing::get);
        this.thread = new Thread(this::runLoop, threadName);
        this.shutdownHook = new Thread(live::killAll, threadName + "-shutdown");
    }

    /**
     * Starts the engine of a Boss: its thread runs, halted. The launcher is the engine's from here; if the
     * engine cannot be made, it is closed at once (nobody else would).
     */
    public static Engine start(EngineSettings settings) {
        try {
            Engine engine = new Engine(settings, new GuardedScheduler(settings.launcher().constrain(settings.scheduler())));
            Runtime.getRuntime().addShutdownHook(engine.shutdownHook);
            engine.thread.start();
            return engine;
        } catch (RuntimeException | Error e) {
            settings.launcher().close();
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Callers' side: any thread.

    /**
     * Matches instruction sets in the caller's thread and queues them.
     *
     * @throws org.taylorism.InstructionsException naming each bad set; nothing of the batch is queued
     * @throws IllegalStateException when instructions are no longer accepted, naming why
     */
    public List<Task> submit(List<? extends Map<String, ?>> instructionSets) {
        inbox.checkAccepting();
        Intake.Batch batch = intake.batch(instructionSets);
        inbox.submit(batch, null);
        return batch.tasks();
    }

    /**
     * Matches sub-tasks of the running worker of {@code parent} in the caller's thread, names them under it, and
     * queues them; see {@link Boss#addSubTasks}.
     */
    public List<Task> submitSubTasks(Task parent, List<? extends Map<String, ?>> instructionSets) {
        Intake.Batch batch = intake.batch(instructionSets, subTaskPrefix(parent));
        inbox.submit(batch, parent);
        return batch.tasks();
    }

    /**
     * What the names of {@code parent}'s sub-tasks start with: its name, and its attempt after the first
     * ({@code p/}, {@code p#2/}), so that a retried parent's sub-tasks never take the names of its earlier attempt's.
     */
    static String subTaskPrefix(Task parent) {
        return parent.name() + (parent.attempt() > 1 ? "#" + parent.attempt() : "") + "/";
    }

    /** Lends the slot of {@code parent}'s worker to {@code subTasks} until they have ended; see {@link Boss#lendSlot}. */
    public CompletableFuture<Void> lendSlot(Task parent, List<Task> subTasks) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!inbox.post(new Message.Lend(parent.id(), subTasks.stream().map(Task::id).toList(), done))) {
            done.complete(null);
        }
        // Cancelled by the caller: the worker stopped waiting before they ended, and works on in its own slot.
        done.whenComplete((ignored, error) -> {
            if (done.isCancelled()) {
                inbox.post(new Message.TakeBack(parent.id(), done));
            }
        });
        return done;
    }

    /** Queues a change of the run's rules; see {@link Boss#reconfigure}. */
    public void reconfigure(Reconfiguration change) {
        if (!inbox.post(new Message.Reconfigure(change))) {
            throw new IllegalStateException("the Boss has terminated: there is nothing to reconfigure");
        }
    }

    /** Queues a signal; see {@link Boss#send}. */
    public void send(Signal signal) {
        inbox.send(signal);
    }

    /** An interim report made now by the Boss thread, or the final report once the run is over. */
    public Report interimReport() {
        CompletableFuture<Report> finalReport = dispatcher.finalReport();
        if (finalReport.isDone()) {
            return finalReport.join();
        }
        CompletableFuture<Report> answer = inbox.ask(Message.ReportRequest::new);
        return await(answer != null ? answer : finalReport);
    }

    /** The final report once the run is over, else the last one published on SEND_REPORT (null when none was). */
    public Report lastPublishedReport() {
        CompletableFuture<Report> finalReport = dispatcher.finalReport();
        return finalReport.isDone() ? finalReport.join() : dispatcher.lastPublished();
    }

    /** The final report, once the run is over; never completed exceptionally but by a breakdown. */
    public CompletableFuture<Report> finalReport() {
        return dispatcher.finalReport();
    }

    /** Cancels the pending sets and running workers called {@code name}; see {@link Boss#cancel}. */
    public boolean cancel(String name) {
        return ask(answer -> new Message.Cancel(name, answer));
    }

    /** Pauses or continues the running workers called {@code name}; see {@link Boss#pauseWorker}. */
    public boolean pause(String name, boolean pause) {
        return ask(answer -> new Message.Pause(name, pause, answer));
    }

    private boolean ask(Function<CompletableFuture<Boolean>, Message> question) {
        CompletableFuture<Boolean> answer = inbox.ask(question);
        if (answer == null) {
            return false;
        }
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaylorismException("interrupted while waiting for the Boss", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new TaylorismException("the Boss failed", e.getCause());
        }
    }

    public Boss.State state() {
        return dispatcher.state();
    }

    /**
     * Throws instead of letting a caller wait forever for a run that cannot end: never told to work, or halted.
     */
    public void checkWillFinish() {
        if (!dispatcher.finalReport().isDone()) {
            inbox.checkWillFinish();
        }
    }

    /** Waits for {@code future}, turning an interrupt or a failure of the Boss into a {@link TaylorismException}. */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaylorismException("interrupted while waiting for the Boss", e);
        } catch (ExecutionException e) {
            throw new TaylorismException("the Boss failed", e.getCause());
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The Boss thread.

    private void runLoop() {
        try {
            while (!dispatcher.over()) {
                dispatcher.handleBatch(inbox.take(), inbox::poll);
            }
        } catch (InterruptedException e) {
            dispatcher.breakDown(new TaylorismException("the Boss thread was interrupted"));
        } catch (RuntimeException | Error e) {
            log.error("The Boss broke down; its workers are stopped", e);
            dispatcher.breakDown(e);
        } finally {
            for (Message left : inbox.closeAndDrain()) {
                left.answerAfterTheEnd(dispatcher.finalReport());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Shutdown.

    /**
     * Stops everything: STOP_RIGHTNOW if the run is not over, waits for the stopped workers' ends, kills any
     * worker still alive and waits for them to be gone, then closes what the engine holds. Idempotent.
     */
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!dispatcher.finalReport().isDone()) {
                send(Signal.STOP_RIGHTNOW);
                try {
                    dispatcher.finalReport().get(stopGracePeriod.toMillis() + 10_000, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    log.warn("The Boss did not stop in time; its workers are killed", e);
                    thread.interrupt();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            live.killAll();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            monitor.close();
            timer.close();
            launcher.close();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run; nothing to remove
            }
        }
    }
}
