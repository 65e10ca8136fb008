package org.taylorism.spi;

/**
 * A task queued behind a running worker, for its process ({@link LaunchedWorker#queueNext}): it starts the moment the
 * worker ahead of it ends, unless it is withdrawn first, or the worker ahead failed or was stopped.
 */
public interface QueuedWorker extends LaunchedWorker {

    /**
     * Whether it started when the worker ahead of it ended. Settled before that worker's end is reported, and
     * meaningless until then.
     */
    boolean started();

    /**
     * Withdraws it, if it has not started: returns true when it will not start (its {@code onEnd} is never called),
     * false when it may have started already, as when it went to the worker's process ahead of its turn and was only
     * asked back: {@link #started()} at the end of the worker ahead says whether it did (and then it runs as any
     * worker).
     */
    boolean withdraw();
}
