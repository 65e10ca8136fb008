package org.taylorism.spi;

import java.time.Instant;
import java.util.Map;
import org.taylorism.WorkerReport;

/**
 * One set of an earlier run, as its store recorded it.
 *
 * @param key its stable key
 * @param taskId its Boss's number for it (its files are named after it)
 * @param name its name
 * @param worker its worker type's name
 * @param instructions the instruction set as given
 * @param report the report of its last attempt, when that attempt ended and was not followed by a retry; null
 *     otherwise
 * @param lastAttempt the number of its last attempt recorded as started or ended, 0 when none was
 * @param lastStartedAt when that attempt started, or null
 * @param parent the name of the worker that submitted it as a sub-task, or null for a set submitted to the Boss
 */
public record PriorSet(String key, long taskId, String name, String worker, Map<String, Object> instructions, WorkerReport report,
                       int lastAttempt, Instant lastStartedAt, String parent) {

    /** A set submitted to the Boss, not by one of its workers. */
    public PriorSet(String key, long taskId, String name, String worker, Map<String, Object> instructions, WorkerReport report,
                    int lastAttempt, Instant lastStartedAt) {
        this(key, taskId, name, worker, instructions, report, lastAttempt, lastStartedAt, null);
    }
}
