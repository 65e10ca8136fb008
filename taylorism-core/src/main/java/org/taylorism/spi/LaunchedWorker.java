package org.taylorism.spi;

import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A worker that a launcher started. Its end is reported once, through the callback given to the launcher. */
public interface LaunchedWorker {

    /** The process id of what was started (the JVM, the program, or the wrapping srun), when there is one. */
    OptionalLong pid();

    /**
     * Whether {@link #pid()} is the worker's own process tree on this machine, whose memory the Boss samples;
     * false for a worker on another machine (a cluster node), where only its output is watched.
     */
    default boolean local() {
        return true;
    }

    /**
     * Completes when the worker really runs: at once for a process started here, later for a cluster job that
     * waits in a queue first. The Boss starts the worker's timeout then, so that queueing does not count.
     */
    default CompletionStage<?> running() {
        return CompletableFuture.completedFuture(null);
    }

    /** The cluster node it runs on, when a launcher places workers on several machines; null otherwise. */
    default String node() {
        return null;
    }

    /**
     * Asks the worker and everything it started to end: a polite request (SIGTERM) at once, then a forced kill
     * (SIGKILL) of whatever is left after {@code grace}. Returns at once; the end is still reported through the
     * launcher's callback. Calling it again, or after the worker ended, does no harm.
     */
    void stop(Duration grace);

    /**
     * How many processes the worker left running when it ended, which the launcher then stopped (TERM, then KILL after
     * a grace); read once its end was reported. 0 for none, or for a launcher that cannot tell.
     */
    default int leftBehind() {
        return 0;
    }

    /**
     * Whether {@link #queueNext} may take a task now: true for a warm-pool task whose JVM can run one more after it.
     * The Boss asks before it chooses a task to queue, so that a launcher that cannot queue costs it nothing.
     */
    default boolean queuesNext() {
        return false;
    }

    /**
     * Queues {@code next} to start in this worker's process the moment this worker ends, so that the process never
     * waits for the Boss between the two (a warm pool's prefetch). Whether {@code next} started is settled before
     * this worker's end is reported, and read then through {@link QueuedWorker#started()}: when it did not, its
     * {@code onEnd} is never called. Returns null when it cannot queue {@code next} (the default).
     *
     * @throws IOException when the task could not be handed over (it is then not queued)
     */
    default QueuedWorker queueNext(LaunchSpec next, Consumer<WorkerOutcome> onEnd) throws IOException {
        return null;
    }

    /** Suspends the worker and everything it started (SIGSTOP). */
    default void pause() {
        throw new UnsupportedOperationException("this launcher cannot pause workers");
    }

    /** Resumes a paused worker (SIGCONT). */
    default void resume() {
        throw new UnsupportedOperationException("this launcher cannot resume workers");
    }
}
