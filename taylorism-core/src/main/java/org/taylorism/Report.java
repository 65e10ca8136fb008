package org.taylorism;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.taylorism.internal.Json;
import org.taylorism.internal.OwnerOnly;
import org.taylorism.internal.ReportJson;

/**
 * What a Boss has to say about its run: every worker that ended (in completion order), the instruction sets
 * still waiting or never started, and the workers still running.
 *
 * @param schemaVersion version of this JSON layout
 * @param status {@code interim} while running, then {@code finished}, {@code pending} or {@code failed}
 * @param counts how many workers ended with each status, plus {@code pending} and {@code running}
 * @param workers every worker that ended, in completion order
 * @param pending instruction sets not launched
 * @param running the workers still running (in an interim report, or left running by STOP_LISTENING)
 * @param error why the run was aborted, when its status is {@code failed}
 * @param failedWorker the worker whose failure aborted the run under fail-fast, if any
 * @param runDirectory where the workers' output files are
 * @param runId the run's id in its run store, when the Boss had one
 * @param notHeld how many ended workers this report does not list, or null for none: a Boss that runs for long
 *     (a server) lets go of old reports ({@code Boss.Builder#retainEnded}); they are in {@code counts}, and in
 *     the run store when it has one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schemaVersion", "runId", "status", "counts", "notHeld", "error", "failedWorker", "runDirectory", "workers",
        "pending", "running"})
public record Report(int schemaVersion, RunStatus status, Map<String, Integer> counts, List<WorkerReport> workers,
                     List<PendingTask> pending, List<RunningReport> running, ErrorInfo error, String failedWorker,
                     String runDirectory, String runId, Integer notHeld) {

    /**
     * The version of the JSON layout this class writes: 2 writes the attributes every listed worker shares once, as
     * {@code common}, and only the rest in each worker's {@code instructions} ({@link #fromJson} reads 1 and 2).
     */
    public static final int SCHEMA_VERSION = ReportJson.SCHEMA_VERSION;

    public Report {
        workers = List.copyOf(workers);
        pending = List.copyOf(pending);
        running = List.copyOf(running);
    }

    /** A report of these entries, with the counts per status worked out, of a run no store recorded. */
    public static Report of(RunStatus status, List<WorkerReport> workers, List<PendingTask> pending, List<RunningReport> running,
                     ErrorInfo error, String failedWorker, Path runDirectory) {
        return of(status, workers, pending, running, error, failedWorker, runDirectory, null);
    }

    /** A report of these entries, with the counts per status worked out; {@code runId} as its store knows the run. */
    public static Report of(RunStatus status, List<WorkerReport> workers, List<PendingTask> pending, List<RunningReport> running,
                     ErrorInfo error, String failedWorker, Path runDirectory, String runId) {
        return of(status, workers, pending, running, error, failedWorker, runDirectory, runId, Map.of());
    }

    /**
     * A report of these entries and of ended workers it does not list ({@code notHeld}, by status), with the counts
     * per status worked out.
     */
    public static Report of(RunStatus status, List<WorkerReport> workers, List<PendingTask> pending, List<RunningReport> running,
                     ErrorInfo error, String failedWorker, Path runDirectory, String runId, Map<WorkerStatus, Integer> notHeld) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (WorkerStatus workerStatus : WorkerStatus.values()) {
            counts.put(workerStatus.jsonName(), notHeld.getOrDefault(workerStatus, 0));
        }
        workers.forEach(w -> counts.merge(w.status().jsonName(), 1, Integer::sum));
        counts.put("pending", pending.size());
        counts.put("running", running.size());
        int notListed = notHeld.values().stream().mapToInt(Integer::intValue).sum();
        return new Report(SCHEMA_VERSION, status, counts, workers, pending, running, error, failedWorker,
                runDirectory == null ? null : runDirectory.toString(), runId, notListed == 0 ? null : notListed);
    }

    /** The report of the worker with this name (the last one, if the name was used more than once). */
    public Optional<WorkerReport> worker(String name) {
        for (int i = workers.size() - 1; i >= 0; i--) {
            if (workers.get(i).name().equals(name)) {
                return Optional.of(workers.get(i));
            }
        }
        return Optional.empty();
    }

    /** Names of the workers still running. */
    public List<String> runningNames() {
        return running.stream().map(RunningReport::name).toList();
    }

    /** Names of the instruction sets not launched (waiting, or never started), in submission order. */
    public List<String> pendingNames() {
        return pending.stream().map(PendingTask::name).toList();
    }

    /** Workers that failed: whose status {@link WorkerStatus#isFailure() is a failure}. */
    @JsonIgnore
    public List<WorkerReport> failures() {
        return workers.stream().filter(w -> w.status().isFailure()).toList();
    }

    /** Workers that did not succeed, for whatever reason: failures, and workers killed or cancelled. */
    @JsonIgnore
    public List<WorkerReport> unsuccessful() {
        return workers.stream().filter(w -> !w.status().isSuccess()).toList();
    }

    /** Whether the run is over, every instruction set was run, and every worker succeeded (those not listed too). */
    @JsonIgnore
    public boolean isSuccess() {
        boolean notHeldSucceeded = notHeld == null || counts == null
                || counts.entrySet().stream().filter(count -> !count.getKey().equals(WorkerStatus.SUCCEEDED.jsonName())
                        && !count.getKey().equals("pending") && !count.getKey().equals("running")).allMatch(count -> count.getValue() == 0);
        return status == RunStatus.FINISHED && pending.isEmpty() && running.isEmpty() && unsuccessful().isEmpty() && notHeldSucceeded;
    }

    /** The report as indented JSON (see {@link #SCHEMA_VERSION} for its {@code common}). */
    public String toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeJson(out);
        } catch (IOException e) {
            throw new IllegalStateException("a report could not be written as JSON", e);
        }
        String json = out.toString(StandardCharsets.UTF_8);
        return json.substring(0, json.length() - System.lineSeparator().length());
    }

    /**
     * Writes the report to {@code file} (owner-only when it is new), streamed: a report of a hundred thousand sets is
     * never held as one string.
     */
    public void writeJson(Path file) {
        try (OutputStream out = new BufferedOutputStream(OwnerOnly.newOutputStream(file), 1 << 16)) {
            writeJson(out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the report to " + file, e);
        }
    }

    /** Writes the report to {@code out}, streamed, followed by a line separator; {@code out} is flushed, not closed. */
    public void writeJson(OutputStream out) throws IOException {
        ReportJson.write(this, workers::forEach, out);
    }

    /** Reads a report's JSON, of this layout or the first one. */
    public static Report fromJson(String json) {
        try {
            return Json.MAPPER.treeToValue(ReportJson.merged(Json.MAPPER.readTree(json)), Report.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a taylorism report: " + e.getOriginalMessage(), e);
        }
    }
}
