package org.taylorism;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

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
 *     fills the worker without reading its annotations (see {@link WorkerType#fieldBindings()}); null for a
 *     task file without them
 */
@JsonPropertyOrder({"workerClass", "name", "ticket", "resultFile", "watchStdin", "values", "fields"})
record TaskFile(String workerClass, String name, int ticket, Map<String, Object> values, String resultFile,
                boolean watchStdin, Map<String, String> fields) {
}
