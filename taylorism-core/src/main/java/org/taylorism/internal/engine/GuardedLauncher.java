package org.taylorism.internal.engine;

import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.LaunchedWorker;
import org.taylorism.spi.QueuedWorker;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.spi.WorkerOutcome;

/**
 * The launcher, as the engine calls it: a launch that fails is the worker's failure, and whatever else the
 * launcher or one of its workers throws (a flush, a close, where a worker runs) costs a log line, never the
 * Boss thread.
 */
final class GuardedLauncher {

    private static final Logger log = LoggerFactory.getLogger(GuardedLauncher.class);

    private final WorkerLauncher launcher;
    private final String name;

    GuardedLauncher(WorkerLauncher launcher) {
        this.launcher = launcher;
        this.name = GuardedScheduler.nameOf("Launcher", launcher, launcher::name);
    }

    String name() {
        return name;
    }

    /** Whether Java workers need their task file (a pool passes the values inline instead). */
    boolean readsTaskFiles() {
        try {
            return launcher.readsTaskFiles();
        } catch (RuntimeException e) {
            log.warn("Launcher {} failed to say whether it reads task files; they are written", name, e);
            return true;
        }
    }

    /**
     * Starts a worker.
     *
     * @throws IOException or a RuntimeException when it could not: the worker then fails with {@code launch_failed}
     */
    Handle launch(LaunchSpec spec, Consumer<WorkerOutcome> onEnd) throws IOException {
        LaunchedWorker worker = launcher.launch(spec, onEnd);
        if (worker == null) {
            throw new IOException("launcher " + name + " returned no worker");
        }
        return new Handle(worker, spec.name());
    }

    void flush() {
        try {
            launcher.flush();
        } catch (RuntimeException e) {
            log.error("Launcher {} failed to start this round's workers", name, e);
        }
    }

    void close() {
        try {
            launcher.close();
        } catch (RuntimeException e) {
            log.warn("Launcher {} failed to close", name, e);
        }
    }

    /** A launched worker, as the engine asks it things. */
    class Handle {
        private final LaunchedWorker worker;
        final String workerName;

        Handle(LaunchedWorker worker, String workerName) {
            this.worker = worker;
            this.workerName = workerName;
        }

        /** Its pid, or none when the launcher fails to say. */
        OptionalLong pid() {
            try {
                OptionalLong pid = worker.pid();
                return pid == null ? OptionalLong.empty() : pid;
            } catch (RuntimeException e) {
                log.warn("Launcher {} failed to give the pid of worker {}", name, workerName, e);
                return OptionalLong.empty();
            }
        }

        /** Whether it runs on this machine, where its memory is sampled; false when the launcher fails to say. */
        boolean local() {
            try {
                return worker.local();
            } catch (RuntimeException e) {
                log.warn("Launcher {} failed to say whether worker {} runs here", name, workerName, e);
                return false;
            }
        }

        /** Completes when it really runs; at once when the launcher fails to say. */
        CompletableFuture<?> running() {
            try {
                return worker.running().toCompletableFuture();
            } catch (RuntimeException e) {
                log.warn("Launcher {} failed to say when worker {} runs; its clock starts now", name, workerName, e);
                return CompletableFuture.completedFuture(null);
            }
        }

        /** How many processes it left behind at its end (stopped by the launcher); 0 when the launcher fails to say. */
        int leftBehind() {
            try {
                return worker.leftBehind();
            } catch (RuntimeException e) {
                log.warn("Launcher {} failed to say what worker {} left behind", name, workerName, e);
                return 0;
            }
        }

        /** The cluster node it runs on; null when there is none, or the launcher fails to say. */
        String node() {
            try {
                return worker.node();
            } catch (RuntimeException e) {
                log.warn("Launcher {} failed to say where worker {} runs", name, workerName, e);
                return null;
            }
        }

        /** Whether a task may be queued behind it, in its process; false when the launcher fails to say. */
        boolean queuesNext() {
            try {
                return worker.queuesNext();
            } catch (RuntimeException e) {
                log.warn("Launcher {} failed to say whether a task may be queued behind worker {}", name, workerName, e);
                return false;
            }
        }

        /**
         * Queues {@code next} behind it; null when the launcher declines.
         *
         * @throws IOException or a RuntimeException when the launcher failed to: {@code next} is then not queued
         */
        QueuedHandle queueNext(LaunchSpec next, Consumer<WorkerOutcome> onEnd) throws IOException {
            QueuedWorker queued = worker.queueNext(next, onEnd);
            return queued == null ? null : new QueuedHandle(queued, next.name());
        }

        /** Asks it to stop: TERM now, KILL after {@code grace}. */
        void stop(Duration grace) {
            try {
                worker.stop(grace);
            } catch (RuntimeException e) {
                log.error("Launcher {} failed to stop worker {}", name, workerName, e);
            }
        }

        /** Pauses it; what the launcher throws (it cannot pause) goes to the caller who asked. */
        void pause() {
            worker.pause();
        }

        void resume() {
            worker.resume();
        }

        /** Resumes it before a stop (a stopped process cannot act on SIGTERM); a failure is only logged. */
        void resumeQuietly() {
            try {
                worker.resume();
            } catch (RuntimeException e) {
                log.debug("Could not resume paused worker {} before stopping it", workerName, e);
            }
        }
    }

    /** A worker queued behind another, in its process: it starts when that one ends, unless it was withdrawn in time. */
    final class QueuedHandle extends Handle {
        private final QueuedWorker queued;

        QueuedHandle(QueuedWorker queued, String workerName) {
            super(queued, workerName);
            this.queued = queued;
        }

        /**
         * Whether it started when the worker ahead ended. A launcher that fails to say is taken to have not started it:
         * a worker the Boss waits for and that never runs would hang the run.
         */
        boolean started() {
            try {
                return queued.started();
            } catch (RuntimeException e) {
                log.error("Launcher {} failed to say whether queued worker {} started; it is taken as not started", name, workerName, e);
                return false;
            }
        }

        /**
         * Withdraws it: true when it will not start. A launcher that fails to say is taken to have not withdrawn it:
         * whether it started then shows at the end of the worker ahead.
         */
        boolean withdraw() {
            try {
                return queued.withdraw();
            } catch (RuntimeException e) {
                log.warn("Launcher {} failed to withdraw queued worker {}", name, workerName, e);
                return false;
            }
        }
    }
}
