package org.taylorism.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.taylorism.BossListener;
import org.taylorism.RunningWorker;
import org.taylorism.WorkerReport;

/**
 * The server's metrics, in a registry of its own (never the JVM-wide default one), written in Prometheus' text
 * format at {@code /metrics}: workers started and ended (by status and cause), running, pending, slots busy and
 * their number, the time from a set's submission to its start, the time a slot stays idle between an end and the
 * next start, and the run store's write latency. Told by the Boss thread; read by scrapes from any thread.
 */
final class Metrics implements BossListener {

    /** Seconds: from a few milliseconds (a busy Boss) to hours (a long queue). */
    private static final double[] WAIT_BUCKETS = {0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60, 300, 1800, 3600, 14400};
    private static final double[] WRITE_BUCKETS = {0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter started;
    private final Counter ended;
    private final Histogram submissionToStart;
    private final Histogram endToNextStart;
    private final Histogram storeWrites;
    private final LongSupplier submitted;
    private final AtomicLong running = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    /** When the last attempt ended with no start since, or null (Boss thread only). */
    private Instant idleSince;

    /**
     * @param slots how many slots there are now (the live max-threads setting; 0: one per CPU)
     * @param submitted how many sets were accepted so far
     */
    Metrics(IntSupplier slots, LongSupplier submitted) {
        this.submitted = submitted;
        started = Counter.builder().name("taylorism_workers_started_total")
                .help("Attempts launched (a retried set counts each attempt).").register(registry);
        ended = Counter.builder().name("taylorism_workers_ended_total")
                .help("Sets ended, by status and cause (cause is empty for succeeded).").labelNames("status", "cause").register(registry);
        GaugeWithCallback.builder().name("taylorism_workers_running").help("Workers running now.")
                .callback(callback -> callback.call(running.get())).register(registry);
        GaugeWithCallback.builder().name("taylorism_sets_pending")
                .help("Sets submitted and not ended nor running: waiting for a slot, their not_before, a retry or other sets.")
                .callback(callback -> callback.call(Math.max(0, submitted.getAsLong() - finished.get() - running.get()))).register(registry);
        GaugeWithCallback.builder().name("taylorism_slots").help("Slots (the max-threads setting; 0: one per CPU).")
                .callback(callback -> callback.call(slots.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("taylorism_slots_busy").help("Slots taken by running workers.")
                .callback(callback -> callback.call(running.get())).register(registry);
        submissionToStart = Histogram.builder().name("taylorism_submission_to_start_seconds")
                .help("From a set's submission to the start of its first attempt.").classicUpperBounds(WAIT_BUCKETS).register(registry);
        endToNextStart = Histogram.builder().name("taylorism_end_to_next_start_seconds")
                .help("From an attempt's end to the next start: how long a freed slot waited.").classicUpperBounds(WAIT_BUCKETS)
                .register(registry);
        storeWrites = Histogram.builder().name("taylorism_store_write_seconds")
                .help("How long the run store took to write one batch of changes.").classicUpperBounds(WRITE_BUCKETS).register(registry);
    }

    /** The run store wrote one batch of changes in {@code took}. */
    void storeWrote(Duration took) {
        storeWrites.observe(took.toNanos() / 1e9);
    }

    @Override
    public void started(RunningWorker worker) {
        started.inc();
        running.incrementAndGet();
        if (worker.task().attempt() == 1 && worker.task().submittedAt() != null) {
            submissionToStart.observe(secondsBetween(worker.task().submittedAt(), worker.startedAt()));
        }
        if (idleSince != null) {
            endToNextStart.observe(secondsBetween(idleSince, worker.startedAt()));
            idleSince = null;
        }
    }

    @Override
    public void retrying(WorkerReport failedAttempt, Duration backoff) {
        running.decrementAndGet();
        idleSince = failedAttempt.endedAt();
    }

    @Override
    public void ended(WorkerReport report) {
        if (report.carriedFrom() != null) {
            finished.incrementAndGet(); // ended in an earlier run: it never started here
            return;
        }
        ended.labelValues(report.status().jsonName(), report.cause() == null ? "" : report.cause()).inc();
        finished.incrementAndGet();
        if (report.stdout() != null) {
            running.decrementAndGet();
            idleSince = report.endedAt();
        }
    }

    /** Writes every metric, as a scrape reads them. */
    void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    /** The content type of what {@link #write} writes. */
    String contentType() {
        return writer.getContentType();
    }

    private static double secondsBetween(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toNanos() / 1e9);
    }
}
