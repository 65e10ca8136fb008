package org.taylorism.internal.engine;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.Cause;
import org.taylorism.ErrorInfo;
import org.taylorism.RunningWorker;
import org.taylorism.Task;
import org.taylorism.internal.engine.Endings.Ending;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.WorkerOutcome;

/**
 * Starting what the scheduler chose: the launch (planned, handed to the launcher), then the books of the worker that
 * started (running, recorded, watched, told); and the way back, its end, posted to the Boss from any thread. The
 * {@link Dispatcher} decides; this carries out. Boss thread only, but for {@link #workerEnded}.
 */
final class Starter {

    private static final Logger log = LoggerFactory.getLogger(Starter.class);

    /** Where a task that could not be launched ends. */
    @FunctionalInterface
    interface NotLaunched {
        void end(Task task, int ticket, Ending ending);
    }

    private final RunBook book;
    private final LaunchPlanner planner;
    private final GuardedLauncher launcher;
    private final GuardedChannel channel;
    private final Recorder recorder;
    private final LiveWorkers live;
    private final Supervisor supervisor;
    private final Listeners listeners;
    private final boolean verbose;
    private final Clock clock;
    private final Mailbox mailbox;
    private final BooleanSupplier closing;
    private final NotLaunched notLaunched;

    Starter(RunBook book, LaunchPlanner planner, GuardedLauncher launcher, GuardedChannel channel, Recorder recorder, LiveWorkers live,
            Supervisor supervisor, Listeners listeners, boolean verbose, Clock clock, Mailbox mailbox, BooleanSupplier closing,
            NotLaunched notLaunched) {
        this.book = book;
        this.planner = planner;
        this.launcher = launcher;
        this.channel = channel;
        this.recorder = recorder;
        this.live = live;
        this.supervisor = supervisor;
        this.listeners = listeners;
        this.verbose = verbose;
        this.clock = clock;
        this.mailbox = mailbox;
        this.closing = closing;
        this.notLaunched = notLaunched;
    }

    /** Launches what a round chose, with its ticket: it runs, waits again (the Boss is closing), or ends as not launched. */
    void start(RunningWorker launch) {
        Task task = launch.task();
        int ticket = launch.ticket();
        if (closing.getAsBoolean()) {
            // close() is under way: it may already have looked for workers to kill, so launch nothing more.
            book.releaseTicket(ticket);
            book.waitFor(task, clock.instant());
            return;
        }
        if (book.nameInUse(task.name())) {
            book.releaseTicket(ticket);
            notLaunched.end(task, ticket, Ending.notLaunched(Cause.NAME_IN_USE,
                    Cause.NAME_IN_USE.error("worker name '" + task.name() + "' is already used by a running worker"
                            + (book.isQueuedName(task.name()) ? " (queued to start in a pooled JVM)" : ""))));
            return;
        }
        LaunchSpec spec;
        GuardedLauncher.Handle handle;
        try {
            spec = planner.plan(task, ticket, launch.cpus(), channel.open(task));
            long id = task.id();
            handle = launcher.launch(spec, outcome -> workerEnded(id, outcome));
        } catch (IOException | RuntimeException e) {
            channel.close(task);
            book.releaseTicket(ticket);
            notLaunched.end(task, ticket, Ending.notLaunched(Cause.LAUNCH_FAILED, new ErrorInfo(e.getClass().getName(),
                    "could not launch worker '" + task.name() + "' with launcher " + launcher.name() + ": " + e.getMessage(),
                    ErrorInfo.of(e).stackTrace())));
            return;
        }
        begin(task, ticket, launch.cpus(), spec, handle, clock.instant());
    }

    /** The books of a worker that started at {@code startedAt}: running, recorded, watched, told. */
    Attempt begin(Task task, int ticket, List<Integer> cpus, LaunchSpec spec, GuardedLauncher.Handle handle, Instant startedAt) {
        Attempt attempt = new Attempt(new RunningWorker(task, ticket, startedAt, cpus, spec.stdout(), spec.stderr()), spec, handle,
                KernelCounters.recentOomKills());
        book.started(attempt);
        recorder.started(task, spec, startedAt);
        live.launched(task.id(), handle);
        supervisor.watch(attempt);
        if (verbose) {
            log.info("Worker {} started.", task.name());
        } else {
            log.debug("Worker {} started.", task.name());
        }
        listeners.started(attempt.view);
        return attempt;
    }

    /** What a launcher calls at a worker's end, from any thread. */
    void workerEnded(long id, WorkerOutcome outcome) {
        Instant at = clock.instant();
        live.endReported(id);
        mailbox.post(new Message.WorkerEnded(id, outcome, at));
    }
}
