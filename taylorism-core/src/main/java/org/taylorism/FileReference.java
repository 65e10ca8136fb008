package org.taylorism;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.taylorism.internal.Json;

/**
 * An instruction value that stands for the JSON content of a file: {@code {"@file": "/data/common.json"}}.
 * Big common data is then written once by the caller and read by each worker process, instead of being
 * copied into every task file. The Boss checks only that the reference is well formed; the worker process
 * reads the file and converts its content to the attribute's type, and a missing or malformed file fails
 * that worker with a message naming the file.
 */
public final class FileReference {

    /** The key of the one-entry map that marks a file reference. */
    public static final String KEY = "@file";

    private FileReference() {
    }

    /** The instruction value that refers to the JSON content of {@code file}. */
    public static Map<String, Object> to(Path file) {
        return Map.of(KEY, file.toAbsolutePath().toString());
    }

    /** Whether {@code value} is a file reference: a map whose one entry is {@value #KEY} and a path. */
    public static boolean isReference(Object value) {
        return value instanceof Map<?, ?> map && map.size() == 1 && map.get(KEY) instanceof String;
    }

    /** Whether any of {@code values} refers to a file (only top-level values can). */
    public static boolean anyReference(Map<String, Object> values) {
        for (Object value : values.values()) {
            if (isReference(value)) {
                return true;
            }
        }
        return false;
    }

    static Object load(Object reference) throws IOException {
        Path file = Path.of((String) ((Map<?, ?>) reference).get(KEY));
        try {
            return Json.MAPPER.readValue(file.toFile(), Object.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IOException("the JSON file " + file + " referred to by " + KEY + " is malformed"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IOException("cannot read the JSON file " + file + " referred to by " + KEY + ": " + e.getMessage(), e);
        }
    }
}
