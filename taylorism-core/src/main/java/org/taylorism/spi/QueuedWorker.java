package org.taylorism.spi;

/**
 * A task queued behind a running worker, in its process ({@link LaunchedWorker#queueNext}): it starts the moment the
 * worker ahead of it ends, unless it is withdrawn first, or the worker ahead failed or was stopped.
 */
public interface QueuedWorker extends LaunchedWorker {

    /**
     * Whether it started when the worker ahead of it ended. Settled before that worker's end is reported, and
     * meaningless until then.
     */
    boolean started();

    /**
     * Asks that it not start. Whether it was in time shows at the end of the worker ahead, through {@link #started()}:
     * a task that started anyway runs as any other. Calling it again does no harm.
     */
    void withdraw();
}
