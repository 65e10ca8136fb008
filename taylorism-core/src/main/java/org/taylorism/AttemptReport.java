package org.taylorism;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * One earlier attempt of a worker that was retried.
 *
 * @param attempt its number, from 1
 * @param status how it ended
 * @param cause why, in one word: the JSON name of a {@link Cause} ({@code timeout}, {@code memory_limit}...)
 * @param error its error on one line
 * @param exitCode its exit code, when it exited
 * @param memoryMb the memory it declared
 * @param timeoutSeconds the timeout it had
 * @param peakRssMb the peak resident memory of its process tree
 * @param startedAt when it was launched
 * @param durationMs how long it ran
 * @param stdout its standard output file
 * @param stderr its standard error file
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"attempt", "status", "cause", "error", "exitCode", "memoryMb", "timeoutSeconds", "peakRssMb", "startedAt",
        "durationMs", "stdout", "stderr"})
public record AttemptReport(int attempt, WorkerStatus status, String cause, String error, Integer exitCode, Integer memoryMb,
                            Double timeoutSeconds, Long peakRssMb, Instant startedAt, long durationMs, String stdout,
                            String stderr) {
}
