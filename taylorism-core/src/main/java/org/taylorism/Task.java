package org.taylorism;

import java.time.Instant;
import java.util.Map;

/**
 * An instruction set matched to its worker class, waiting for the scheduler or running.
 *
 * @param id the Boss's number for it, increasing in submission order
 * @param name the worker's name
 * @param type the worker class
 * @param instructions the instruction set as given
 * @param values the attribute values by key after conversion and defaults
 * @param notBefore the earliest launch time its {@code not_before} asked for (or its retry's backoff), or null
 * @param attempt the attempt this task is, from 1
 * @param submittedAt when the Boss accepted its set, or null where it is not known
 */
public record Task(long id, String name, WorkerType type, Map<String, Object> instructions, Map<String, Object> values,
                   Instant notBefore, int attempt, Instant submittedAt) {

    /** A task whose submission time is not known. */
    public Task(long id, String name, WorkerType type, Map<String, Object> instructions, Map<String, Object> values,
                Instant notBefore, int attempt) {
        this(id, name, type, instructions, values, notBefore, attempt, null);
    }

    /** The {@code memory} the instruction set declared, in MiB, or null. */
    public Integer memoryMb() {
        return (Integer) values.get("memory");
    }

    /** The {@code expected_time} the instruction set declared, in seconds, or null. */
    public Double expectedTime() {
        return (Double) values.get("expected_time");
    }

    /** The {@code timeout} of this attempt in seconds, or null. */
    public Double timeoutSeconds() {
        return (Double) values.get("timeout");
    }

    /** The {@code stall_timeout} in seconds, or null. */
    public Double stallTimeoutSeconds() {
        return (Double) values.get("stall_timeout");
    }

    /** The named resources it holds while running ({@code resources}), empty when none. */
    @SuppressWarnings("unchecked")
    public Map<String, Integer> resources() {
        Object resources = values.get("resources");
        return resources == null ? Map.of() : (Map<String, Integer>) resources;
    }

    /**
     * The value of {@code key} as the scheduler should see it: the converted attribute value, or the raw
     * instruction value for keys the worker class does not read. Null when absent.
     */
    public Object lookup(String key) {
        Object value = values.get(key);
        return value != null ? value : instructions.get(key);
    }

    /** An attribute value by key, after conversion; null when absent. */
    public Object value(String key) {
        return values.get(key);
    }
}
