package org.taylorism.spi;

import java.time.Duration;
import java.util.OptionalLong;

/** A worker that a launcher started. Its end is reported once, through the callback given to the launcher. */
public interface LaunchedWorker {

    /** The process id of what was started (the JVM, the program, or the wrapping srun), when there is one. */
    OptionalLong pid();

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

    /** Suspends the worker and everything it started (SIGSTOP). */
    default void pause() {
        throw new UnsupportedOperationException("this launcher cannot pause workers");
    }

    /** Resumes a paused worker (SIGCONT). */
    default void resume() {
        throw new UnsupportedOperationException("this launcher cannot resume workers");
    }
}
