package org.taylorism;

/**
 * Hooks into a run's progress: progress bars, logs, metrics.
 *
 * <p>Every method runs on the Boss thread, in the order events happen: {@code started} for a worker comes
 * before its end, and {@code runEnded} comes last. Methods must be fast, must not block and must not call
 * back into the Boss and wait; an exception thrown by a listener is logged with the listener's class and
 * ignored. A set that a resumed run carries over from an earlier run is told as ended (its report's
 * {@link WorkerReport#carriedFrom() carriedFrom} says so), with no {@code started} before it.
 */
public interface BossListener {

    default void started(RunningWorker worker) {
    }

    /** The worker succeeded; by default, told as {@link #ended}. */
    default void succeeded(WorkerReport report) {
        ended(report);
    }

    /** The worker failed or crashed (or could not be launched); by default, told as {@link #ended}. */
    default void failed(WorkerReport report) {
        ended(report);
    }

    /**
     * The Boss stopped the worker (STOP_RIGHTNOW, a halt, {@code close()}) or it was cancelled; by default, told as
     * {@link #ended}.
     */
    default void stopped(WorkerReport report) {
        ended(report);
    }

    /** A set's last attempt ended, however: what the three above tell, for a listener that needs no more. */
    default void ended(WorkerReport report) {
    }

    /** An attempt failed and the worker will be tried again after {@code backoff}. */
    default void retrying(WorkerReport failedAttempt, java.time.Duration backoff) {
    }

    /** The set was never launched because the run ended first. */
    default void cancelled(PendingTask task) {
    }

    /** The run's rules were changed ({@link Boss#reconfigure}); the next scheduling round follows them. */
    default void reconfigured(Reconfiguration change) {
    }

    /** An interim report was published on SEND_REPORT. */
    default void reportPublished(Report report) {
    }

    /** The final report is ready. */
    default void runEnded(Report report) {
    }
}
