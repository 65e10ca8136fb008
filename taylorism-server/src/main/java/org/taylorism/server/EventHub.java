package org.taylorism.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.BossListener;
import org.taylorism.PendingTask;
import org.taylorism.Reconfiguration;
import org.taylorism.Report;
import org.taylorism.RunningWorker;
import org.taylorism.WorkerReport;
import org.taylorism.internal.Json;

/**
 * What happens in the run, as the Boss thread tells it: the batch book learns of ends, and every open event stream
 * gets the event as one Server-Sent Event. The Boss thread never waits: each stream has a bounded queue, and a
 * stream whose client reads too slowly to keep up is ended (it is told so) rather than slowing the run.
 */
final class EventHub implements BossListener {

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);
    /** Events a stream may fall behind by before it is ended. */
    static final int STREAM_BACKLOG = 10_000;

    /** One open event stream: what its client has yet to be sent. */
    static final class Stream {
        private final BlockingQueue<String> events = new ArrayBlockingQueue<>(STREAM_BACKLOG);
        private volatile boolean overrun;

        /** The next event, formatted, or null when none came within {@code wait}. */
        String next(Duration wait) throws InterruptedException {
            return events.poll(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        boolean overrun() {
            return overrun;
        }

        private void offer(String event) {
            if (!overrun && !events.offer(event)) {
                overrun = true;
            }
        }
    }

    /** The last event of every stream: the run is over. */
    static final String RUN_ENDED = "run-ended";

    private final BatchBook batches;
    private final List<Stream> streams = new CopyOnWriteArrayList<>();

    EventHub(BatchBook batches) {
        this.batches = batches;
    }

    /**
     * A new stream. Its first event is {@code hello}: anything a client asks after it has that (a report to count
     * from) does not miss an event, though it may count one twice (by name, that does no harm).
     */
    Stream open() {
        Stream stream = new Stream();
        streams.add(stream);
        stream.offer("event: hello\ndata: {}\n\n");
        return stream;
    }

    void close(Stream stream) {
        streams.remove(stream);
    }

    int openStreams() {
        return streams.size();
    }

    @Override
    public void started(RunningWorker worker) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", worker.name());
        data.put("attempt", worker.task().attempt());
        data.put("ticket", worker.ticket());
        data.put("started_at", worker.startedAt().toString());
        Object after = worker.task().values().get("after");
        if (after != null) {
            data.put("after", after); // for a timeline to draw what it waited for
        }
        publish("started", data);
    }

    @Override
    public void ended(WorkerReport report) {
        batches.ended(report.name(), report.status());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", report.name());
        data.put("status", report.status().jsonName());
        data.put("cause", report.cause());
        data.put("attempt", report.attempt());
        data.put("duration_ms", report.durationMs());
        data.put("exit_code", report.exitCode());
        data.put("signal", report.signal());
        data.put("error", report.error() == null ? null : report.error().oneLine());
        // What a timeline draws: when and where it ran.
        data.put("ticket", report.ticket());
        data.put("node", report.node());
        data.put("started_at", report.startedAt() == null ? null : report.startedAt().toString());
        data.put("ended_at", report.endedAt() == null ? null : report.endedAt().toString());
        data.put("peak_rss_mb", report.peakRssMb());
        data.put("carried_from", report.carriedFrom());
        publish("ended", data);
    }

    @Override
    public void retrying(WorkerReport failedAttempt, Duration backoff) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", failedAttempt.name());
        data.put("attempt", failedAttempt.attempt());
        data.put("status", failedAttempt.status().jsonName());
        data.put("backoff_ms", backoff.toMillis());
        data.put("ticket", failedAttempt.ticket());
        data.put("node", failedAttempt.node());
        data.put("started_at", failedAttempt.startedAt() == null ? null : failedAttempt.startedAt().toString());
        data.put("ended_at", failedAttempt.endedAt() == null ? null : failedAttempt.endedAt().toString());
        publish("retrying", data);
    }

    @Override
    public void cancelled(PendingTask task) {
        batches.ended(task.name(), null);
        publish("ended", Map.of("name", task.name(), "status", "cancelled", "cause", "never launched: the run ended first"));
    }

    @Override
    public void reconfigured(Reconfiguration change) {
        publish("reconfigured", Map.of("change", change.toString()));
    }

    /** An edit of the configuration file was rejected; the settings stay as they were. */
    void configRejected(String problem) {
        publish("config-rejected", Map.of("error", problem));
    }

    @Override
    public void runEnded(Report report) {
        batches.runEnded();
        publish(RUN_ENDED, Map.of("status", report.status().jsonName(), "counts", report.counts()));
    }

    private void publish(String event, Map<String, Object> data) {
        if (streams.isEmpty()) {
            return;
        }
        String formatted;
        try {
            formatted = "event: " + event + "\ndata: " + Json.MAPPER.writeValueAsString(data) + "\n\n";
        } catch (JsonProcessingException e) {
            log.warn("Event {} could not be written as JSON; not sent", event, e);
            return;
        }
        streams.forEach(stream -> stream.offer(formatted));
    }
}
