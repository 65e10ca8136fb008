package org.taylorism.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.taylorism.Report;
import org.taylorism.WorkerReport;

/**
 * A report's JSON, written as a stream: the ended workers come from a {@link Workers} source read twice (once for
 * the attributes they all share, once to write them), so that a report of a million sets, read from a run store,
 * is never held whole. The attributes every listed worker shares (a batch's common instructions) are written once,
 * as {@code common}, and each worker's {@code instructions} hold the rest; {@link #merged} puts them back together
 * for a reader.
 */
public final class ReportJson {

    /** The JSON layout written: 2 added {@code common}. */
    public static final int SCHEMA_VERSION = 2;

    /** The ended workers of a report, in completion order, handed out as often as asked. */
    @FunctionalInterface
    public interface Workers {
        void forEach(Consumer<WorkerReport> each);
    }

    private ReportJson() {
    }

    /**
     * Writes {@code report}'s JSON, its ended workers read from {@code workers} rather than from the report (whose
     * counts must be theirs); {@code out} is flushed, not closed.
     */
    public static void write(Report report, Workers workers, OutputStream out) throws IOException {
        Map<String, Object> common = sharedAttributes(workers);
        try (JsonGenerator generator = Json.MAPPER.getFactory().createGenerator(out)) {
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            generator.useDefaultPrettyPrinter();
            generator.writeStartObject();
            generator.writeNumberField("schemaVersion", SCHEMA_VERSION);
            field(generator, "runId", report.runId());
            field(generator, "status", report.status());
            field(generator, "counts", report.counts());
            field(generator, "notHeld", report.notHeld());
            field(generator, "error", report.error());
            field(generator, "failedWorker", report.failedWorker());
            field(generator, "runDirectory", report.runDirectory());
            if (!common.isEmpty()) {
                field(generator, "common", common);
            }
            generator.writeArrayFieldStart("workers");
            IOException[] failed = new IOException[1];
            workers.forEach(worker -> {
                if (failed[0] == null) {
                    try {
                        generator.writeObject(common.isEmpty() ? worker : withoutCommon(worker, common));
                    } catch (IOException e) {
                        failed[0] = e;
                    }
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
            generator.writeEndArray();
            field(generator, "pending", report.pending());
            field(generator, "running", report.running());
            generator.writeEndObject();
        }
        out.write(System.lineSeparator().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.flush();
    }

    private static void field(JsonGenerator generator, String name, Object value) throws IOException {
        if (value != null) {
            generator.writeObjectField(name, value);
        }
    }

    /**
     * The attributes (name and equal value) that every worker has, when there are two workers or more: with one,
     * nothing is shared, and its instructions stay whole.
     */
    static Map<String, Object> sharedAttributes(Workers workers) {
        Map<String, Object> shared = new LinkedHashMap<>();
        int[] seen = new int[1];
        workers.forEach(worker -> {
            Map<String, Object> instructions = worker.instructions() == null ? Map.of() : worker.instructions();
            if (seen[0]++ == 0) {
                shared.putAll(instructions);
            } else if (!shared.isEmpty()) {
                shared.entrySet().removeIf(attribute -> !instructions.containsKey(attribute.getKey())
                        || !Objects.equals(instructions.get(attribute.getKey()), attribute.getValue()));
            }
        });
        return seen[0] < 2 ? Map.of() : shared;
    }

    private static WorkerReport withoutCommon(WorkerReport worker, Map<String, Object> common) {
        Map<String, Object> own = new LinkedHashMap<>();
        worker.instructions().forEach((name, value) -> {
            if (!common.containsKey(name)) {
                own.put(name, value);
            }
        });
        return new WorkerReport(worker.name(), worker.worker(), worker.status(), worker.cause(), own, worker.result(), worker.error(),
                worker.exitCode(), worker.signal(), worker.ticket(), worker.cpus(), worker.node(), worker.startedAt(), worker.endedAt(),
                worker.durationMs(), worker.stdout(), worker.stderr(), worker.peakRssMb(), worker.hsErrFile(), worker.attempt(),
                worker.attempts(), worker.carriedFrom(), worker.leftBehind());
    }

    /**
     * A report's JSON tree with {@code common} put back into each worker's instructions (its own values first, as
     * they were given, then the shared ones), for readers of the {@link Report} record.
     */
    public static JsonNode merged(JsonNode report) {
        JsonNode common = report.get("common");
        JsonNode workers = report.get("workers");
        if (!(report instanceof ObjectNode whole) || common == null || !common.isObject() || workers == null || !workers.isArray()) {
            return report;
        }
        List<String> names = new ArrayList<>();
        for (Iterator<String> each = common.fieldNames(); each.hasNext(); ) {
            names.add(each.next());
        }
        for (JsonNode worker : workers) {
            if (worker instanceof ObjectNode entry) {
                ObjectNode instructions = entry.get("instructions") instanceof ObjectNode own ? own : entry.putObject("instructions");
                for (String name : names) {
                    if (!instructions.has(name)) {
                        instructions.set(name, common.get(name));
                    }
                }
            }
        }
        whole.remove("common");
        return whole;
    }
}
