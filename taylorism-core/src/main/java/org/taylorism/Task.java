package org.taylorism;

import java.util.Map;

/**
 * An instruction set matched to its worker class, waiting for the scheduler or running.
 *
 * @param id the Boss's number for it, increasing in submission order
 * @param name the worker's name
 * @param type the worker class
 * @param instructions the instruction set as given
 * @param values the attribute values by key after conversion and defaults
 */
public record Task(long id, String name, WorkerType type, Map<String, Object> instructions, Map<String, Object> values) {

    /** The {@code memory} the instruction set declared, in MiB, or null. */
    public Integer memoryMb() {
        return (Integer) values.get("memory");
    }

    /** The {@code expected_time} the instruction set declared, in seconds, or null. */
    public Double expectedTime() {
        return (Double) values.get("expected_time");
    }

    /** An attribute value by key, after conversion; null when absent. */
    public Object value(String key) {
        return values.get(key);
    }
}
