package org.taylorism.internal.child;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Once a task has returned, its work is done: this worker JVM writes its result before it goes, whether its Boss
 * went away meanwhile ({@link BossWatch}) or it was sent SIGTERM (as a dead Boss's watchdog does first), so that a
 * run resuming that Boss's run adopts the result instead of running the task a second time. A task still running
 * is not waited for. Runnable as the JVM shutdown hook that waits on SIGTERM; a named class, not a lambda, for the
 * same reason as {@link BossWatch}.
 */
final class ResultGate implements Runnable {

    /** The longest a going JVM waits for a returned task's result to be written. */
    private static final long WAIT_SECONDS = 30;

    private volatile boolean returned;
    private final CountDownLatch written = new CountDownLatch(1);

    void taskReturned() {
        returned = true;
    }

    void resultWritten() {
        written.countDown();
    }

    /** Waits (bounded) until the result of a task that returned is written; returns at once if none returned. */
    @Override
    public void run() {
        if (!returned) {
            return;
        }
        try {
            written.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
