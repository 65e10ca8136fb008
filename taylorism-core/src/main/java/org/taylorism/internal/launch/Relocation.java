package org.taylorism.internal.launch;

import java.time.Duration;
import org.taylorism.spi.LaunchedWorker;

/**
 * A worker's handle that may be launched anew elsewhere before it began: its spawner was killed before it started
 * it, or its pooled JVM could not take it when its turn came. Until the move, what the Boss asks (a stop with its
 * grace, a pause, a resume) is done where the worker is and remembered; at the move it is asked of the new handle,
 * and from then on every call goes there. Pause and resume go through this object's lock, so that one asked during
 * the move is never overtaken by the other.
 */
final class Relocation {

    private volatile LaunchedWorker movedTo;
    /** Null while no stop was asked. Guarded by this. */
    private Duration stopGrace;
    private boolean paused;

    /** The handle the worker moved to, or null while it has not moved. */
    LaunchedWorker movedTo() {
        return movedTo;
    }

    /** Whether the Boss asked for a stop before the move: the worker then need not be launched anew. */
    synchronized boolean stopped() {
        return stopGrace != null;
    }

    /** The worker now runs as {@code moved}: what the Boss asked of it so far is asked of that handle. */
    void moveTo(LaunchedWorker moved) {
        Duration stopNow;
        synchronized (this) {
            movedTo = moved;
            stopNow = stopGrace;
            if (stopNow == null && paused) {
                moved.pause();
            }
        }
        if (stopNow != null) {
            moved.stop(stopNow);
        }
    }

    /** Stops the moved handle, or runs {@code here}. */
    void stop(Duration grace, Runnable here) {
        LaunchedWorker moved;
        synchronized (this) {
            stopGrace = grace;
            moved = movedTo;
        }
        if (moved != null) {
            moved.stop(grace);
        } else {
            here.run();
        }
    }

    synchronized void pause(Runnable here) {
        paused = true;
        if (movedTo != null) {
            movedTo.pause();
        } else {
            here.run();
        }
    }

    synchronized void resume(Runnable here) {
        paused = false;
        if (movedTo != null) {
            movedTo.resume();
        } else {
            here.run();
        }
    }
}
