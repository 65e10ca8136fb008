package org.taylorism.internal.child;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.taylorism.internal.PlainJson;

/**
 * What a worker process is told: written by the Boss, read by {@link WorkerMain}.
 *
 * @param workerClass the worker class to instantiate
 * @param name the worker's name
 * @param ticket the scheduler's slot number
 * @param values the attribute values by key, in their JSON form
 * @param resultFile where to write the result
 * @param watchStdin whether standard input is a pipe from the Boss whose end means the Boss is gone
 * @param fields the field each value goes to, by key, as {@code DeclaringClass#field}: the worker JVM then
 *     fills the worker without reading its annotations; null for a task file without them
 * @param boss how the worker reaches its Boss for sub-tasks ({@link org.taylorism.BossContact#toMap}), or null
 */
@JsonPropertyOrder({"workerClass", "name", "ticket", "resultFile", "watchStdin", "values", "fields", "boss"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskFile(String workerClass, String name, int ticket, Map<String, Object> values, String resultFile,
                       boolean watchStdin, Map<String, String> fields, Map<String, String> boss) {

    /** A task file without a contact to its Boss. */
    public TaskFile(String workerClass, String name, int ticket, Map<String, Object> values, String resultFile,
                    boolean watchStdin, Map<String, String> fields) {
        this(workerClass, name, ticket, values, resultFile, watchStdin, fields, null);
    }

    /** The task file at {@code file}, read without the databind mapper; a missing or mistyped field is named. */
    public static TaskFile read(Path file) throws IOException {
        if (!(PlainJson.read(file) instanceof Map<?, ?> root)) {
            throw new IOException("it is not a JSON object");
        }
        Object values = root.get("values");
        if (!(values instanceof Map<?, ?>)) {
            throw new IOException("its \"values\" is not an object: " + values);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> attributeValues = (Map<String, Object>) values;
        Object fields = root.get("fields");
        if (fields != null && !(fields instanceof Map<?, ?> map && allStrings(map.values()))) {
            throw new IOException("its \"fields\" is not an object of strings: " + fields);
        }
        @SuppressWarnings("unchecked")
        Map<String, String> fieldBindings = (Map<String, String>) fields;
        Object boss = root.get("boss");
        if (boss != null && !(boss instanceof Map<?, ?> map && allStrings(map.values()))) {
            throw new IOException("its \"boss\" is not an object of strings");
        }
        @SuppressWarnings("unchecked")
        Map<String, String> contact = (Map<String, String>) boss;
        return new TaskFile(field(root, "workerClass", String.class), field(root, "name", String.class),
                field(root, "ticket", Integer.class), attributeValues, field(root, "resultFile", String.class),
                Boolean.TRUE.equals(root.get("watchStdin")), fieldBindings, contact);
    }

    private static <T> T field(Map<?, ?> root, String key, Class<T> type) throws IOException {
        Object value = root.get(key);
        if (!type.isInstance(value)) {
            throw new IOException("its \"" + key + "\" is not of type " + type.getSimpleName() + ": " + value);
        }
        return type.cast(value);
    }

    /** A loop, not a stream: the first lambda a fresh worker JVM meets costs it a few milliseconds. */
    private static boolean allStrings(Iterable<?> values) {
        for (Object value : values) {
            if (!(value instanceof String)) {
                return false;
            }
        }
        return true;
    }
}
