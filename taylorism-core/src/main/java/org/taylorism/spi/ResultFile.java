package org.taylorism.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.taylorism.ErrorInfo;
import org.taylorism.Json;

/**
 * The file through which a Java worker hands its result to the Boss: {@code {"status": "ok", "result": ...}}
 * or {@code {"status": "error", "error": {"type", "message", "stackTrace"}}}. It is written whole under a
 * temporary name and then renamed, so the Boss never reads half of one; the worker's own stdout and stderr
 * go elsewhere and cannot corrupt it.
 */
public final class ResultFile {

    private ResultFile() {
    }

    /** The outcome of a task that returned {@code result} (already JSON, so an unwritable result failed first). */
    public static ObjectNode ok(JsonNode result) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("status", "ok");
        root.set("result", result);
        return root;
    }

    /** The outcome of a task that failed. */
    public static ObjectNode error(ErrorInfo error) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("status", "error");
        root.set("error", Json.MAPPER.valueToTree(error));
        return root;
    }

    /**
     * Writes an outcome whole, under a temporary name then renamed, with the writing process's peak memory:
     * a worker JVM that runs one task writes this once.
     */
    public static void write(Path file, ObjectNode outcome) throws IOException {
        Long peakKb = selfPeakRssKb();
        if (peakKb != null) {
            outcome.put("peakRssKb", peakKb);
        }
        writeWhole(file, Json.MAPPER.writeValueAsBytes(outcome));
    }

    /** Writes {@code content} under a temporary name, then renames it: a reader never sees half of it. */
    public static void writeWhole(Path file, byte[] content) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.write(partial, content);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The calling process's own peak resident memory in KiB ({@code VmHWM}), which no sampler can miss, or
     * null where there is no /proc.
     */
    public static Long selfPeakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = 0;
                    for (int i = "VmHWM:".length(); i < line.length(); i++) {
                        char c = line.charAt(i);
                        if (c >= '0' && c <= '9') {
                            kb = kb * 10 + (c - '0');
                        }
                    }
                    return kb;
                }
            }
        } catch (IOException e) {
            // not Linux: the sampler's figure stands alone
        }
        return null;
    }

    static WorkerOutcome read(Path file, Integer exitCode) {
        Map<?, ?> root;
        try {
            root = Json.MAPPER.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            return new WorkerOutcome.Raised(ErrorInfo.of("org.taylorism.UnreadableResultException",
                    "the result file " + file + " is not valid JSON: " + e.getMessage()), exitCode);
        }
        return outcome(root, "the result file " + file, exitCode);
    }

    /**
     * The outcome a worker reported ({@link #ok} or {@link #error}), read as plain maps and lists (no tree
     * converted again: a warm pool reads thousands a second), as the Boss sees it.
     */
    public static WorkerOutcome outcome(Map<?, ?> root, String source, Integer exitCode) {
        Object status = root == null ? null : root.get("status");
        Long peak = root != null && root.get("peakRssKb") instanceof Number number ? number.longValue() : null;
        if ("ok".equals(status)) {
            return new WorkerOutcome.Returned(root.get("result"), exitCode, peak);
        }
        if ("error".equals(status) && root.get("error") instanceof Map<?, ?> error) {
            try {
                return new WorkerOutcome.Raised(Json.MAPPER.convertValue(error, ErrorInfo.class), exitCode, peak);
            } catch (IllegalArgumentException e) {
                return new WorkerOutcome.Raised(ErrorInfo.of("org.taylorism.UnreadableResultException",
                        source + " has an error that is not {type, message, stackTrace}: " + e.getMessage()), exitCode, peak);
            }
        }
        return new WorkerOutcome.Raised(ErrorInfo.of("org.taylorism.UnreadableResultException",
                source + " has no status 'ok' or 'error'"), exitCode);
    }
}
