package org.taylorism.internal.engine;

import java.time.Instant;

/**
 * Posts messages to the Boss thread later: timeouts, delayed starts, a scheduler's wake-ups. The engine's one
 * timer, on the engine's clock: tests give a manual one, and time passes when they say.
 */
interface Timer extends AutoCloseable {

    /** Posts {@code message} at {@code when} (at once when that is past); the answer can call it off. */
    Planned postAt(Instant when, Message message);

    /** A message planned for later. */
    interface Planned {
        /** Calls it off, if it was not posted yet: a timeout whose worker ended, say. */
        void cancel();
    }

    /** Posts nothing more. */
    @Override
    void close();
}
