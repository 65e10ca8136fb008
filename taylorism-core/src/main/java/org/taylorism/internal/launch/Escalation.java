package org.taylorism.internal.launch;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What stopping a worker does later, or must not do on the Boss's thread: the SIGKILL after the grace period,
 * a cluster command that asks for a stop. One per launcher, whose thread ({@code taylorism-escalation-N},
 * a daemon) starts at the first use. An action that throws is logged; the others still run.
 *
 * <p>Closing is the launcher's last word: actions already planned still run at their time (a SIGKILL due
 * after the grace period is never dropped), then the thread ends; an action asked for after the close still
 * runs at its time, on a thread of its own, never in the caller's.
 */
public final class Escalation implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Escalation.class);
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    private ScheduledThreadPoolExecutor timer; // guarded by this
    private boolean closed; // guarded by this

    /** Runs {@code action} now, in the escalation's thread. */
    public void now(Runnable action) {
        after(Duration.ZERO, action);
    }

    /** Runs {@code action} after {@code delay}, in the escalation's thread. */
    public void after(Duration delay, Runnable action) {
        long millis = Math.max(0, delay.toMillis());
        synchronized (this) {
            if (!closed) {
                timer().schedule(() -> run(action), millis, TimeUnit.MILLISECONDS);
                return;
            }
        }
        Thread late = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // run it now, then
            }
            run(action);
        }, "taylorism-escalation-" + NUMBERS.incrementAndGet() + "-late");
        late.setDaemon(true);
        late.start();
    }

    private ScheduledThreadPoolExecutor timer() {
        if (timer == null) {
            String name = "taylorism-escalation-" + NUMBERS.incrementAndGet();
            timer = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, name);
                thread.setDaemon(true);
                return thread;
            });
            timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(true);
        }
        return timer;
    }

    private static void run(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("Stopping a worker failed", e);
        }
    }

    /** No new action is taken on; those planned still run at their time, then the thread ends. */
    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdown();
        }
    }
}
