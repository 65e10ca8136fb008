package org.taylorism.internal.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Timer} of a running Boss: one daemon thread of its own, {@code taylorism-boss-N-timer}, started at
 * the first message planned and ended when the run is over (or the Boss closed, whichever comes first).
 */
final class ThreadTimer implements Timer {

    private static final Planned NOTHING = () -> { };

    private final ScheduledThreadPoolExecutor executor;
    private final Clock clock;
    private final Mailbox mailbox;

    ThreadTimer(String threadName, Clock clock, Mailbox mailbox) {
        this.clock = clock;
        this.mailbox = mailbox;
        this.executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        // A timeout is often disarmed by the worker's end long before it would fire: drop those that close leaves.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Planned postAt(Instant when, Message message) {
        // One millisecond more: the message must not arrive before the clock says it is time.
        long delay = Math.max(0, Duration.between(clock.instant(), when).toMillis() + 1);
        try {
            ScheduledFuture<?> planned = executor.schedule(() -> mailbox.post(message), delay, TimeUnit.MILLISECONDS);
            return () -> planned.cancel(false);
        } catch (RejectedExecutionException closed) {
            return NOTHING; // the run is over: nobody waits for it
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
