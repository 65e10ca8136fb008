package org.taylorism.internal.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.taylorism.FileReference;
import org.taylorism.ResultReference;
import org.taylorism.Task;
import org.taylorism.WorkerReport;
import org.taylorism.internal.CompactMap;
import org.taylorism.internal.Json;
import org.taylorism.internal.WorkerAccess;

/**
 * Fills in what a released set takes from the sets it waited for ({@link ResultReference}): their results, entries
 * of them, their output files; then converts each value so filled to its attribute's type, as matching would have.
 */
final class ResultFlow {

    private ResultFlow() {
    }

    /**
     * {@code task} with its references filled in from {@code reports} (the report of each set it waited for, by name).
     *
     * @throws IllegalArgumentException naming the reference or value that could not be filled in or converted
     */
    static Task filledIn(Task task, After after, Function<String, WorkerReport> reports) {
        Map<String, Object> values = new LinkedHashMap<>(task.values());
        for (Map.Entry<String, Object> entry : task.values().entrySet()) {
            if (ResultReference.in(entry.getValue())) {
                Object filled = fill(entry.getValue(), after.condition().upstream(), reports);
                values.put(entry.getKey(), WorkerAccess.get().convert(task.type(), entry.getKey(), filled));
            }
        }
        return new Task(task.id(), task.name(), task.type(), task.instructions(), CompactMap.copyOf(values),
                task.notBefore(), task.attempt(), task.submittedAt());
    }

    private static Object fill(Object value, Collection<String> upstream, Function<String, WorkerReport> reports) {
        if (value instanceof String text) {
            List<ResultReference.Ref> refs = ResultReference.find(text);
            if (refs.isEmpty()) {
                return text;
            }
            ResultReference.Ref only = refs.get(0);
            if (refs.size() == 1 && only.start() == 0 && only.end() == text.length()) {
                List<Object> given = valuesOf(only, upstream, reports);
                return only.isPattern() ? given : given.get(0);
            }
            StringBuilder filled = new StringBuilder();
            int from = 0;
            for (ResultReference.Ref ref : refs) {
                filled.append(text, from, ref.start());
                List<String> texts = valuesOf(ref, upstream, reports).stream().map(ResultFlow::textOf).toList();
                filled.append(String.join(" ", texts));
                from = ref.end();
            }
            return filled.append(text.substring(from)).toString();
        }
        if (value instanceof List<?> list) {
            List<Object> filled = new ArrayList<>(list.size());
            for (Object element : list) {
                List<ResultReference.Ref> refs = element instanceof String text ? ResultReference.find(text) : List.of();
                if (refs.size() == 1 && refs.get(0).isPattern() && refs.get(0).start() == 0
                        && refs.get(0).end() == ((String) element).length()) {
                    filled.addAll(valuesOf(refs.get(0), upstream, reports)); // one element per set the pattern matches
                } else {
                    filled.add(fill(element, upstream, reports));
                }
            }
            return filled;
        }
        if (value instanceof Map<?, ?> map && !FileReference.isReference(value)) {
            Map<Object, Object> filled = new LinkedHashMap<>();
            map.forEach((key, element) -> filled.put(key, fill(element, upstream, reports)));
            return filled;
        }
        return value;
    }

    /** What {@code ref} stands for: one value per set it names, in their order (null for a set with no result). */
    private static List<Object> valuesOf(ResultReference.Ref ref, Collection<String> upstream, Function<String, WorkerReport> reports) {
        List<String> names = ref.isPattern() ? After.matching(ref.name(), upstream) : List.of(ref.name());
        List<Object> values = new ArrayList<>(names.size());
        for (String name : names) {
            WorkerReport report = reports.apply(name);
            if (report == null) {
                throw new IllegalArgumentException(ref + ": the report of '" + name + "' is no longer held by the Boss");
            }
            values.add(switch (ref.what()) {
                case RESULT -> entry(report.result(), ref, name);
                case STDOUT -> report.stdout();
                case STDERR -> report.stderr();
            });
        }
        return values;
    }

    private static Object entry(Object result, ResultReference.Ref ref, String name) {
        Object at = result;
        for (String key : ref.path()) {
            if (at == null) {
                return null;
            }
            if (at instanceof Map<?, ?> map && map.containsKey(key)) {
                at = map.get(key);
            } else if (at instanceof List<?> list && key.matches("\\d{1,9}") && Integer.parseInt(key) < list.size()) {
                at = list.get(Integer.parseInt(key));
            } else {
                throw new IllegalArgumentException(ref + ": the result of '" + name + "' has no entry '" + key + "' ("
                        + textOf(at) + ")");
            }
        }
        return at;
    }

    private static String textOf(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
