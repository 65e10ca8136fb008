package org.taylorism.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.taylorism.Json;

/**
 * A batch file: {@code {"common": {...}, "individual": {"key": [...], ...}}}, both parts optional.
 * {@code -} reads the batch from standard input.
 */
final class BatchFile {

    private static final Set<String> PARTS = Set.of("common", "individual");

    /** The two parts of a batch. */
    record Batch(Map<String, Object> common, Map<String, Object> individual) {
    }

    private BatchFile() {
    }

    static Batch read(String location, InputStream stdin) {
        String source = location.equals("-") ? "standard input" : location;
        JsonNode root;
        try {
            if (location.equals("-")) {
                root = Json.MAPPER.readTree(stdin);
            } else {
                Path file = Path.of(location);
                if (!Files.isRegularFile(file)) {
                    throw new BadInputException("batch file " + location + (Files.exists(file) ? " is not a regular file" : " does not exist"));
                }
                root = Json.MAPPER.readTree(file.toFile());
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? source : source + ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new BadInputException(where + ": malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BadInputException("cannot read batch file " + source + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new BadInputException(source + " is empty: expected {\"common\": {...}, \"individual\": {...}}");
        }
        if (!root.isObject()) {
            throw new BadInputException(source + ": expected a JSON object {\"common\": {...}, \"individual\": {...}}, not "
                    + root.getNodeType().name().toLowerCase());
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!PARTS.contains(key)) {
                throw new BadInputException(source + ": unknown key '" + key + "' (a batch has 'common' and 'individual')");
            }
        }
        return new Batch(part(root, "common", source), part(root, "individual", source));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(JsonNode root, String name, String source) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new BadInputException(source + ": '" + name + "' must be a JSON object, not " + node.getNodeType().name().toLowerCase());
        }
        return Json.MAPPER.convertValue(node, Map.class);
    }
}
