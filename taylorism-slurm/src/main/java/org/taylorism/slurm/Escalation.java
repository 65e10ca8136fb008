package org.taylorism.slurm;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs what stopping a Slurm worker takes (scancel, squeue) off the Boss thread, whose {@code stop} must return
 * at once, and the second phase of a stop after the grace period; one shared daemon thread.
 */
final class Escalation {

    private static final Logger log = LoggerFactory.getLogger(Escalation.class);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "taylorism-slurm-escalation");
        thread.setDaemon(true);
        return thread;
    });

    private Escalation() {
    }

    static void now(Runnable action) {
        after(Duration.ZERO, action);
    }

    static void after(Duration delay, Runnable action) {
        TIMER.schedule(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.warn("A forced stop of a Slurm worker failed", e);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
