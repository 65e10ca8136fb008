package org.taylorism;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JavaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.taylorism.internal.Json;

/**
 * The report of one worker that ended.
 *
 * @param name the worker's name
 * @param worker the worker class's short name ({@code command} for external programs)
 * @param status how it ended
 * @param cause why, in one word, when it did not succeed (see {@link Cause}); null when it succeeded
 * @param instructions the instruction set as given (after {@code [attr]} substitution of the name)
 * @param result what {@code task()} returned, as JSON-like Java values (maps, lists, strings, numbers); null
 *     unless it succeeded
 * @param error why it failed, crashed or was killed; null when it succeeded
 * @param exitCode the process's exit code, when it exited
 * @param signal the signal that ended the process ({@code "KILL"}, {@code "TERM"}...), when one did: read
 *     from exit codes above 128, as a shell does
 * @param ticket the scheduler's slot number
 * @param cpus the CPUs it was bound to, when it was
 * @param node the cluster node it ran on, when a cluster launcher (Slurm) ran it
 * @param startedAt when it was launched
 * @param endedAt when its end was seen
 * @param durationMs {@code endedAt - startedAt} in milliseconds
 * @param stdout the file that holds its standard output
 * @param stderr the file that holds its standard error
 * @param peakRssMb the peak resident memory of its process tree (sampled, and for Java workers also the
 *     JVM's own high-water mark), when known
 * @param hsErrFile the crash log of a JVM that crashed
 * @param attempt the number of this attempt, from 1 (greater when the worker was retried)
 * @param attempts the earlier attempts, when it was retried
 * @param carriedFrom the id of the earlier run whose attempt this is, when a resumed run carried the set over
 *     instead of running it again; null when it ran in this run
 * @param leftBehind how many processes it left running when it ended (a daemon, {@code nohup cmd &}), which the
 *     launcher then stopped; null for none, or where the launcher cannot tell (see the README)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "worker", "status", "cause", "instructions", "result", "error", "exitCode", "signal", "ticket", "cpus",
        "node", "startedAt", "endedAt", "durationMs", "peakRssMb", "stdout", "stderr", "hsErrFile", "attempt", "attempts",
        "carriedFrom", "leftBehind"})
public record WorkerReport(String name, String worker, WorkerStatus status, String cause, Map<String, Object> instructions,
                           Object result, ErrorInfo error, Integer exitCode, String signal, Integer ticket,
                           List<Integer> cpus, String node, Instant startedAt, Instant endedAt, long durationMs, String stdout, String stderr,
                           Long peakRssMb, String hsErrFile, int attempt, List<AttemptReport> attempts, String carriedFrom,
                           Integer leftBehind) {

    /** A report, with nothing left behind. */
    public WorkerReport(String name, String worker, WorkerStatus status, String cause, Map<String, Object> instructions,
                        Object result, ErrorInfo error, Integer exitCode, String signal, Integer ticket,
                        List<Integer> cpus, String node, Instant startedAt, Instant endedAt, long durationMs, String stdout, String stderr,
                        Long peakRssMb, String hsErrFile, int attempt, List<AttemptReport> attempts, String carriedFrom) {
        this(name, worker, status, cause, instructions, result, error, exitCode, signal, ticket, cpus, node, startedAt, endedAt,
                durationMs, stdout, stderr, peakRssMb, hsErrFile, attempt, attempts, carriedFrom, null);
    }

    /** A report of a worker that ran in this run. */
    public WorkerReport(String name, String worker, WorkerStatus status, String cause, Map<String, Object> instructions,
                        Object result, ErrorInfo error, Integer exitCode, String signal, Integer ticket,
                        List<Integer> cpus, String node, Instant startedAt, Instant endedAt, long durationMs, String stdout, String stderr,
                        Long peakRssMb, String hsErrFile, int attempt, List<AttemptReport> attempts) {
        this(name, worker, status, cause, instructions, result, error, exitCode, signal, ticket, cpus, node, startedAt, endedAt,
                durationMs, stdout, stderr, peakRssMb, hsErrFile, attempt, attempts, null, null);
    }

    /** This report, carried into a resumed run from run {@code runId}; a report carried already keeps its first run. */
    public WorkerReport asCarriedFrom(String runId) {
        return carriedFrom != null ? this : new WorkerReport(name, worker, status, cause, instructions, result, error, exitCode, signal,
                ticket, cpus, node, startedAt, endedAt, durationMs, stdout, stderr, peakRssMb, hsErrFile, attempt, attempts, runId,
                leftBehind);
    }

    /** Why it did not succeed, typed; null when it succeeded. */
    public Cause causeType() {
        return cause == null ? null : Cause.fromJson(cause);
    }

    /**
     * The result converted to {@code type} (a record, a bean, a string, a number...), as JSON would convert it.
     *
     * @throws IllegalArgumentException naming the type when the result does not fit it
     */
    public <T> T result(Class<T> type) {
        return convert(Json.MAPPER.getTypeFactory().constructType(type));
    }

    /** The earlier name of {@link #result(Class)}. */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public <T> T resultAs(Class<T> type) {
        return result(type);
    }

    /** The result, a JSON array, as a list of {@code elementType}; see {@link #result(Class)}. */
    public <E> List<E> resultList(Class<E> elementType) {
        return convert(Json.MAPPER.getTypeFactory().constructCollectionType(List.class, elementType));
    }

    /** The result, a JSON object, as a map of {@code valueType} by key; see {@link #result(Class)}. */
    public <V> Map<String, V> resultMap(Class<V> valueType) {
        return convert(Json.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, valueType));
    }

    private <T> T convert(JavaType type) {
        try {
            return Json.MAPPER.convertValue(result, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the result of worker '" + name + "' is not a " + type.toCanonical() + ": "
                    + e.getMessage(), e);
        }
    }
}
