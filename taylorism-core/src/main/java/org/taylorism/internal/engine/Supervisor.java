package org.taylorism.internal.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.Cause;
import org.taylorism.Task;

/**
 * Watches running workers and stops them: their timeouts (on the engine's clock and timer, counted from when
 * they really run and not while paused), their memory and their silence (through the {@link ResourceMonitor}),
 * pause and continue, cancel, and every stop the Boss decides. A stop is TERM, then KILL after the grace
 * period; the worker's end then comes from its launcher like any other. Boss thread only, but for the monitor's
 * and launchers' callbacks, which post messages.
 */
final class Supervisor {

    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    private final RunBook book;
    private final ResourceMonitor monitor;
    private final Timer timer;
    private final Clock clock;
    private final Mailbox mailbox;
    private final Duration stopGracePeriod;
    private final Duration defaultStallTimeout;
    private final double memoryTolerance;

    /**
     * @param defaultStallTimeout the stall timeout of workers whose instructions give none, or null
     * @param memoryTolerance a worker using more than its declared memory times this is stopped; 0 for never
     */
    Supervisor(RunBook book, ResourceMonitor monitor, Timer timer, Clock clock, Mailbox mailbox, Duration stopGracePeriod,
               Duration defaultStallTimeout, double memoryTolerance) {
        this.book = book;
        this.monitor = monitor;
        this.timer = timer;
        this.clock = clock;
        this.mailbox = mailbox;
        this.stopGracePeriod = stopGracePeriod;
        this.defaultStallTimeout = defaultStallTimeout;
        this.memoryTolerance = memoryTolerance;
    }

    /** Starts watching an attempt just launched: its timeout, its memory and its output. */
    void watch(Attempt attempt) {
        Task task = attempt.task();
        CompletableFuture<?> runs = attempt.handle.running();
        if (attempt.spec.timeout() != null) {
            attempt.timeout = attempt.spec.timeout();
            if (runs.isDone()) {
                startClock(attempt);
            } else {
                // A queued cluster job: its clock starts when it runs.
                long id = task.id();
                int number = task.attempt();
                runs.whenComplete((ignored, error) -> mailbox.post(new Message.StartedRunning(id, number)));
            }
        }
        Long limitMb = memoryTolerance > 0 && task.memoryMb() != null ? Math.round(task.memoryMb() * memoryTolerance) : null;
        monitor.watch(new ResourceMonitor.Watch(task.id(), task.attempt(), attempt.handle::pid, attempt.handle.local(), runs::isDone,
                attempt.spec.stdout(), attempt.spec.stderr(), limitMb, stallTimeout(task)));
    }

    /** The attempt ended: its timeout is called off; returns the peak memory the monitor saw, in KiB, or null. */
    Long ended(Attempt attempt) {
        if (attempt.timeoutCheck != null) {
            attempt.timeoutCheck.cancel();
        }
        return monitor.forget(attempt.id());
    }

    /** The peak memory of a running attempt so far, in KiB, or null. */
    Long peakKb(Attempt attempt) {
        return monitor.peakKb(attempt.id());
    }

    void onStartedRunning(Message.StartedRunning started) {
        Attempt attempt = book.running(started.id());
        if (attempt == null || !attempt.is(started.id(), started.attempt()) || attempt.timeout == null || attempt.deadline != null) {
            return;
        }
        startClock(attempt);
    }

    private void startClock(Attempt attempt) {
        attempt.deadline = clock.instant().plus(attempt.timeout);
        if (attempt.pausedAt == null) {
            checkTimeoutAt(attempt, attempt.deadline);
        }
    }

    private void checkTimeoutAt(Attempt attempt, Instant when) {
        if (attempt.timeoutCheck != null) {
            attempt.timeoutCheck.cancel();
        }
        attempt.timeoutCheck = timer.postAt(when, new Message.TimeUp(attempt.id(), attempt.number()));
    }

    void onTimeUp(Message.TimeUp timeUp) {
        Attempt attempt = book.running(timeUp.id());
        if (attempt == null || !attempt.is(timeUp.id(), timeUp.attempt()) || attempt.stopCause != null || attempt.pausedAt != null
                || attempt.deadline == null) {
            return; // ended, retried, stopped, or paused (the clock restarts on continue)
        }
        if (clock.instant().isBefore(attempt.deadline)) {
            checkTimeoutAt(attempt, attempt.deadline); // a pause moved the deadline
            return;
        }
        stop(attempt, Cause.TIMEOUT, "it ran longer than its timeout of " + attempt.timeout.toMillis() / 1000.0 + " s");
    }

    void onLimitHit(Message.LimitHit hit) {
        Attempt attempt = book.running(hit.id());
        if (attempt == null || !attempt.is(hit.id(), hit.attempt()) || attempt.stopCause != null) {
            return;
        }
        String reason = hit.cause() == Cause.MEMORY_LIMIT
                ? "its processes used " + hit.detail() + ", more than its declared " + attempt.task().memoryMb() + " MiB x " + memoryTolerance
                : "it wrote nothing to stdout or stderr for " + hit.detail() + " (stall_timeout "
                        + stallTimeout(attempt.task()).toMillis() / 1000.0 + " s)";
        stop(attempt, hit.cause(), reason);
    }

    /** Stops a running attempt, which is then reported with {@code cause}: TERM now, KILL after the grace period. */
    void stop(Attempt attempt, Cause cause, String reason) {
        attempt.stopCause = cause;
        attempt.stopReason = reason;
        log.debug("Stopping worker {}: {}", attempt.name(), reason);
        if (attempt.pausedAt != null) {
            attempt.handle.resumeQuietly(); // a stopped process cannot act on SIGTERM
        }
        attempt.handle.stop(stopGracePeriod);
    }

    /** Stops every running attempt not stopped already. */
    void stopAll(String reason) {
        for (Attempt attempt : book.runningAttempts()) {
            if (attempt.stopCause == null) {
                stop(attempt, Cause.STOPPED, reason);
            }
        }
    }

    /** Stops the running attempts called {@code name}, to be reported cancelled; returns whether there was one. */
    boolean cancel(String name) {
        boolean found = false;
        for (Attempt attempt : book.runningAttempts()) {
            if (attempt.name().equals(name) && attempt.stopCause == null) {
                stop(attempt, Cause.CANCELLED, "cancelled by name");
                found = true;
            }
        }
        return found;
    }

    /**
     * Pauses ({@code pause}) or continues the running attempts called {@code name}; their timeout and stall
     * clocks stop meanwhile. Returns whether there was one to pause or continue.
     *
     * @throws UnsupportedOperationException when the launcher cannot pause workers
     */
    boolean pause(String name, boolean pause) {
        boolean found = false;
        for (Attempt attempt : book.runningAttempts()) {
            if (!attempt.name().equals(name) || attempt.stopCause != null || (attempt.pausedAt != null) == pause) {
                continue;
            }
            found = true;
            if (pause) {
                attempt.handle.pause();
                attempt.pausedAt = clock.instant();
                monitor.paused(attempt.id(), true);
            } else {
                attempt.handle.resume();
                Duration paused = Duration.between(attempt.pausedAt, clock.instant());
                attempt.pausedAt = null;
                monitor.paused(attempt.id(), false);
                if (attempt.deadline != null) {
                    attempt.deadline = attempt.deadline.plus(paused);
                    checkTimeoutAt(attempt, attempt.deadline);
                }
            }
        }
        return found;
    }

    private Duration stallTimeout(Task task) {
        return task.stallTimeoutSeconds() != null ? Duration.ofMillis(Math.round(task.stallTimeoutSeconds() * 1000)) : defaultStallTimeout;
    }

    /** Tells the Boss thread what the monitor saw, through its mailbox. */
    static ResourceMonitor.Alarm alarmTo(Mailbox mailbox) {
        return new ResourceMonitor.Alarm() {
            @Override
            public void memoryExceeded(long id, int attempt, long rssMb) {
                mailbox.post(new Message.LimitHit(id, attempt, Cause.MEMORY_LIMIT, rssMb + " MiB"));
            }

            @Override
            public void stalled(long id, int attempt, Duration quiet) {
                mailbox.post(new Message.LimitHit(id, attempt, Cause.STALL, quiet.toMillis() / 1000.0 + " s"));
            }
        };
    }
}
