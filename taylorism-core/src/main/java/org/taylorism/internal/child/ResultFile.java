package org.taylorism.internal.child;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.taylorism.ErrorInfo;
import org.taylorism.ResultNotSerializableException;
import org.taylorism.internal.Json;
import org.taylorism.internal.OwnerOnly;
import org.taylorism.internal.PlainBinary;
import org.taylorism.internal.PlainJson;

/**
 * How a worker hands its outcome to the Boss: {@code {"status": "ok", "result": ...}} or
 * {@code {"status": "error", "error": {"type", "message", "stackTrace"}}}, with the JVM's peak memory
 * ({@code peakRssKb}) or, on the warm pool's channel, the task's {@code id}. A fresh worker JVM writes it to
 * its result file whole under a temporary name, then renames it, so the Boss never reads half of one; the
 * worker's own stdout and stderr go elsewhere and cannot corrupt it. The Boss reads it back with
 * {@code org.taylorism.internal.launch.Outcomes}.
 */
public final class ResultFile {

    /** The key of the outcome's status, {@value #OK} or {@value #ERROR}. */
    public static final String STATUS = "status";
    public static final String OK = "ok";
    public static final String ERROR = "error";
    public static final String RESULT = "result";
    public static final String PEAK_RSS_KB = "peakRssKb";
    /** A pooled task's reply field: how many processes the task left running, stopped at its end (absent: none). */
    public static final String LEFT_BEHIND = "leftBehind";

    private ResultFile() {
    }

    /**
     * A returned result as plain JSON, with one more field; null when it needs the mapper: an error, a record,
     * or a result the streaming writer fails on (nested too deep, containing itself, changed by a thread the
     * task left running), whose trouble the mapper then names.
     */
    static byte[] plainJson(TaskRunner.Outcome outcome, String extraKey, Object extraValue) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put(extraKey, extraValue);
        return plainJson(outcome, extra);
    }

    private static byte[] plainJson(TaskRunner.Outcome outcome, Map<String, Object> extra) {
        Map<String, Object> root = plainRoot(outcome, extra);
        if (root == null) {
            return null;
        }
        try {
            return PlainJson.write(root);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    /**
     * The warm pool's reply for an outcome: in {@link PlainBinary}'s form when the result is plain, which costs a
     * pooled JVM and the pool's reader less than JSON; otherwise JSON with the extra fields: through the streaming
     * generator for a plain result, through the mapper for an error or a result that needs databind (a record, a bean).
     */
    static PoolReply poolReply(TaskRunner.Outcome outcome, String name, Map<String, Object> extra) throws IOException {
        Map<String, Object> root = plainRoot(outcome, extra);
        if (root != null) {
            try {
                return new PoolReply(PlainBinary.write(root), true);
            } catch (RuntimeException | StackOverflowError e) {
                // changed by a thread the task left running, or containing itself: the mapper names the trouble
            }
        }
        byte[] plain = plainJson(outcome, extra);
        if (plain != null) {
            return new PoolReply(plain, true);
        }
        ObjectNode full = fullJson(outcome, name);
        extra.forEach(full::putPOJO);
        return new PoolReply(Json.MAPPER.writeValueAsBytes(full), OK.equals(full.path(STATUS).asText()));
    }

    /** A reply's bytes, and whether they say the task returned (a result that cannot be written is an error). */
    record PoolReply(byte[] bytes, boolean returned) {
    }

    /** The outcome and its extra fields as plain maps, or null when the result is not plain (or an error). */
    private static Map<String, Object> plainRoot(TaskRunner.Outcome outcome, Map<String, Object> extra) {
        if (outcome.error() != null) {
            return null;
        }
        try {
            if (!PlainJson.isPlain(outcome.result())) {
                return null;
            }
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put(STATUS, OK);
        root.put(RESULT, outcome.result());
        root.putAll(extra);
        return root;
    }

    /** The outcome as a tree, through the mapper: a result it cannot write is a {@link ResultNotSerializableException}. */
    static ObjectNode fullJson(TaskRunner.Outcome outcome, String name) {
        if (outcome.error() != null) {
            return error(outcome.error());
        }
        Object result = outcome.result();
        JsonNode json;
        try {
            json = Json.MAPPER.valueToTree(result);
        } catch (Throwable error) {
            return error(new ErrorInfo(ResultNotSerializableException.class.getName(),
                    "the result of worker '" + name + "' (a " + result.getClass().getName()
                            + ") cannot be written as JSON: " + jacksonReason(error), ErrorInfo.of(error).stackTrace()));
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put(STATUS, OK);
        root.set(RESULT, json);
        return root;
    }

    private static ObjectNode error(ErrorInfo error) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put(STATUS, ERROR);
        root.set(ERROR, Json.MAPPER.valueToTree(error));
        return root;
    }

    /** Writes an outcome tree whole, with the writing process's peak memory. */
    static void write(Path file, ObjectNode outcome) throws IOException {
        Long peakKb = selfPeakRssKb();
        if (peakKb != null) {
            outcome.put(PEAK_RSS_KB, peakKb);
        }
        writeWhole(file, Json.MAPPER.writeValueAsBytes(outcome));
    }

    /** Writes {@code content} under a temporary name, then renames it: a reader never sees half of it. */
    static void writeWhole(Path file, byte[] content) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        OwnerOnly.write(partial, content);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The calling process's own peak resident memory in KiB ({@code VmHWM}), which no sampler can miss, or
     * null where there is no /proc.
     */
    static Long selfPeakRssKb() {
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

    /** Jackson's reason without its advice to change the mapper, which is ours, not the worker's. */
    private static String jacksonReason(Throwable error) {
        if (error instanceof StackOverflowError) {
            return "it is nested too deep, or contains itself";
        }
        if (error.getMessage() == null) {
            return error.getClass().getName();
        }
        String message = error.getMessage();
        int advice = message.indexOf(" (to avoid exception");
        return advice < 0 ? message : message.substring(0, advice);
    }
}
