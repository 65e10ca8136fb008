package org.taylorism.internal.engine;

import java.util.List;
import java.util.Map;

/** Checks of the values of the attributes every worker has, which their types alone cannot express. */
final class BuiltInValues {

    /** Longer than any batch runs (about three years): larger timeouts are typos, and overflow clocks. */
    private static final double MAX_SECONDS = 1e8;

    /** The keys whose values are seconds a worker may take; a constant, for every set submitted is checked. */
    private static final List<String> TIMEOUT_KEYS = List.of("timeout", "stall_timeout");

    private BuiltInValues() {
    }

    /** What is wrong with the built-in values of a set, naming the key and the value, or null. */
    static String problem(Map<String, Object> values) {
        Object memory = values.get("memory");
        if (memory instanceof Integer mebibytes && mebibytes <= 0) {
            return "memory: " + mebibytes + " must be above 0 MiB";
        }
        Object expected = values.get("expected_time");
        if (expected instanceof Double seconds && (seconds < 0 || seconds.isNaN())) {
            return "expected_time: " + seconds + " must be 0 or more seconds";
        }
        for (String key : TIMEOUT_KEYS) {
            Object value = values.get(key);
            if (value instanceof Double seconds && (!(seconds > 0) || seconds > MAX_SECONDS)) {
                return key + ": " + seconds + " must be above 0 and at most " + (long) MAX_SECONDS + " seconds";
            }
        }
        Object command = values.get("command");
        if (command instanceof List<?> arguments) {
            for (int i = 0; i < arguments.size(); i++) {
                if (arguments.get(i) instanceof String argument && argument.indexOf('\0') >= 0) {
                    return "command: argument " + (i + 1) + " holds a NUL character, which no program argument can hold";
                }
            }
        }
        Object environment = values.get("env");
        if (environment instanceof Map<?, ?> variables) {
            for (Map.Entry<?, ?> variable : variables.entrySet()) {
                if (String.valueOf(variable.getKey()).indexOf('\0') >= 0 || String.valueOf(variable.getValue()).indexOf('\0') >= 0) {
                    return "env: " + String.valueOf(variable.getKey()).replace("\0", "\\0") + " holds a NUL character";
                }
            }
        }
        Object resources = values.get("resources");
        if (resources instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> need : map.entrySet()) {
                if (need.getValue() instanceof Integer amount && amount < 0) {
                    return "resources: " + need.getKey() + "=" + amount + " must be 0 or more";
                }
            }
        }
        return null;
    }
}
