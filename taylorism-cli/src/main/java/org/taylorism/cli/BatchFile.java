package org.taylorism.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.taylorism.Instructions;
import org.taylorism.InstructionsException;
import org.taylorism.internal.Json;

/**
 * Reads a batch into instruction sets. Formats, chosen by {@code --format} or by the file's extension
 * (standard input, {@code -}, and a file without a known extension are sniffed, see {@link #guess}):
 * <ul>
 *   <li>{@code json}: {@code {"common": {...}, "individual": {"key": [...]}}}, expanded as the API does;</li>
 *   <li>{@code jsonl}: one instruction set (a JSON object) per line;</li>
 *   <li>{@code csv}: a header of attribute names, then one set per row (RFC 4180 quoting; an empty cell
 *       leaves the attribute out, so its default applies);</li>
 *   <li>{@code lines}: one set per non-empty line, the line being the value of attribute {@code line}
 *       ({@code find . -type f | taylorism run - --format lines --set 'command=["gzip","[line]"]'}).</li>
 * </ul>
 * {@code --set KEY=VALUE} values are common to every set: they override the file's {@code common}, and
 * each set's own values override them. Every error names the source, and the line and column where known.
 */
final class BatchFile {

    /** The formats a batch can be written in. */
    enum Format {
        JSON, JSONL, CSV, LINES;

        static Format of(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--format '" + text + "' is not one of json, jsonl, csv, lines");
            }
        }
    }

    private static final Set<String> PARTS = Set.of("common", "individual", "product");
    /**
     * Reads a text that is one JSON value whole: the mapper alone stops after the first value and drops the rest, so
     * that two objects on one line ran as one set and {@code --set 'x=true story'} gave {@code true}.
     */
    private static final ObjectReader WHOLE = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /**
     * The most sets a product grid may make: a grid's batch is held whole (a batch file of sets is read as a stream), and
     * a few lists of values can ask for more sets than any memory holds; refused with a message rather than a crash.
     */
    static final int MOST_SETS_OF_A_GRID = 10_000_000;

    private BatchFile() {
    }

    /**
     * {@code bytes} as UTF-8 text; bytes that are not UTF-8 are bad input named by line and column (in bytes), never
     * replaced by a stand-in character.
     */
    static String utf8(byte[] bytes, String source) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new BadInputException(source + ":" + line + ":" + (at - lineStart + 1) + ": not UTF-8 text (byte 0x"
                    + String.format("%02x", bytes[at] & 0xff) + "); save it as UTF-8");
        }
        String text = out.flip().toString();
        return text.startsWith("\ufeff") ? text.substring(1) : text; // a byte order mark some editors write
    }

    /**
     * The instruction sets of the batch at {@code location} ({@code -}: {@code stdin}), with {@code overrides}, each made
     * once per point of the {@code product} grid ({@code --product}; with a JSON batch, it joins the file's own).
     */
    static List<Map<String, Object>> read(String location, Format format, Map<String, Object> overrides, Map<String, Object> product,
                                          InputStream stdin) {
        String source = location.equals("-") ? "standard input" : location;
        String text;
        try {
            if (location.equals("-")) {
                text = utf8(stdin.readAllBytes(), source);
            } else {
                Path file = Path.of(location);
                if (!Files.isRegularFile(file)) {
                    throw new BadInputException("batch file " + location + (Files.exists(file) ? " is not a regular file" : " does not exist"));
                }
                text = utf8(Files.readAllBytes(file), source);
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read batch " + source + ": " + e.getMessage(), e);
        }
        Format chosen = format != null ? format : guess(location, text);
        List<Map<String, Object>> sets = switch (chosen) {
            case JSON -> json(text, source, overrides, product);
            case JSONL -> withOverrides(jsonLines(text, source), overrides);
            case CSV -> withOverrides(csv(text, source), overrides);
            case LINES -> withOverrides(lines(text), overrides);
        };
        return chosen == Format.JSON || product.isEmpty() ? sets : gridOf(sets, product);
    }

    /** Each of {@code sets} once per point of the {@code product} grid, the grid's values winning. */
    private static List<Map<String, Object>> gridOf(List<Map<String, Object>> sets, Map<String, Object> product) {
        // Counted before any is made (values that are not lists are expand's to refuse, with its message).
        if (product.values().stream().allMatch(List.class::isInstance)
                && Instructions.combinations(product, sets.size()) > MOST_SETS_OF_A_GRID) {
            throw new BadInputException("the product options make " + Instructions.combinations(product, 1) + " combinations for"
                    + " each of the batch's " + sets.size() + " sets: " + Instructions.combinations(product, sets.size())
                    + " sets, more than the " + MOST_SETS_OF_A_GRID + " a grid may make (a batch held whole); split it");
        }
        List<Map<String, Object>> grid = Instructions.expand(Map.of(), Map.of(), product, MOST_SETS_OF_A_GRID);
        List<Map<String, Object>> all = new ArrayList<>(sets.size() * grid.size());
        for (Map<String, Object> set : sets) {
            for (Map<String, Object> point : grid) {
                Map<String, Object> combined = new LinkedHashMap<>(set);
                combined.putAll(point);
                all.add(combined);
            }
        }
        return all;
    }

    private static Format guess(String location, String text) {
        String name = location.toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return Format.JSONL;
        }
        if (name.endsWith(".csv")) {
            return Format.CSV;
        }
        if (name.endsWith(".json")) {
            return Format.JSON;
        }
        return sniff(text);
    }

    /**
     * The format of text with no name to tell it by: one JSON object whose keys are a batch's parts ({@code common},
     * {@code individual}, {@code product}) is a batch; JSON objects one per line (one line too) are JSON Lines; a first
     * line of two or more attribute names between commas is a CSV header; anything else is lines.
     */
    private static Format sniff(String text) {
        String start = text.stripLeading();
        if (start.startsWith("{")) {
            JsonNode whole;
            try {
                whole = Json.MAPPER.readTree(start);
            } catch (JsonProcessingException notOneObject) {
                whole = null;
            }
            if (whole != null && whole.isObject() && whole.size() > 0) {
                for (Iterator<String> keys = whole.fieldNames(); keys.hasNext(); ) {
                    if (!PARTS.contains(keys.next())) {
                        return Format.JSONL; // one instruction set, on one line or several
                    }
                }
                return Format.JSON;
            }
            return whole == null && everyLineIsAnObject(start) ? Format.JSONL : Format.JSON;
        }
        String header = start.lines().findFirst().orElse("").strip();
        return CSV_HEADER.matcher(header).matches() ? Format.CSV : Format.LINES;
    }

    /** Two or more attribute names between commas, as a CSV header (a line of text rarely is one). */
    private static final java.util.regex.Pattern CSV_HEADER =
            java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\s*,\\s*[A-Za-z_][A-Za-z0-9_]*)+");

    private static boolean everyLineIsAnObject(String text) {
        for (String line : text.lines().toList()) {
            if (line.isBlank()) {
                continue;
            }
            try {
                if (!Json.MAPPER.readTree(line).isObject()) {
                    return false;
                }
            } catch (JsonProcessingException e) {
                return false;
            }
        }
        return true;
    }

    private static List<Map<String, Object>> json(String text, String source, Map<String, Object> overrides, Map<String, Object> product) {
        JsonNode root = parse(text, source, 0);
        if (root == null || root.isMissingNode()) {
            throw new BadInputException(source + " is empty: expected {\"common\": {...}, \"individual\": {...}}");
        }
        if (!root.isObject()) {
            throw new BadInputException(source + ": expected a JSON object {\"common\": {...}, \"individual\": {...}}, not "
                    + root.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!PARTS.contains(key)) {
                throw new BadInputException(source + ": unknown key '" + key + "' (a batch has 'common', 'individual' and 'product')");
            }
        }
        Map<String, Object> common = new LinkedHashMap<>(part(root, "common", source));
        common.putAll(overrides);
        Map<String, Object> grid = new LinkedHashMap<>(part(root, "product", source));
        grid.putAll(product);
        try {
            return Instructions.expand(common, part(root, "individual", source), grid, MOST_SETS_OF_A_GRID);
        } catch (InstructionsException e) {
            throw new BadInputException(source + ": " + e.getMessage(), e);
        }
    }

    private static List<Map<String, Object>> jsonLines(String text, String source) {
        List<Map<String, Object>> sets = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            sets.add(jsonLine(lines.get(i), source, i + 1));
        }
        return sets;
    }

    /** The instruction set on line {@code line} (from 1) of a JSON Lines batch. */
    static Map<String, Object> jsonLine(String text, String source, int line) {
        JsonNode node = parse(text, source, line - 1);
        if (!node.isObject()) {
            throw new BadInputException(source + ":" + line + ": expected one JSON object per line, not "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return toMap(node);
    }

    private static List<Map<String, Object>> csv(String text, String source) {
        Csv.Rows read;
        try (Reader reader = new java.io.StringReader(text)) {
            read = Csv.read(reader, source);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + source + ": " + e.getMessage(), e);
        }
        List<List<String>> rows = read.rows();
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> header = rows.get(0);
        Map<String, Integer> columnOf = new LinkedHashMap<>();
        for (int column = 0; column < header.size(); column++) {
            if (header.get(column).isBlank()) {
                throw new BadInputException(source + ":1:" + (column + 1) + ": empty attribute name in the header");
            }
            Integer earlier = columnOf.putIfAbsent(header.get(column).trim(), column + 1);
            if (earlier != null) {
                throw new BadInputException(source + ":1:" + (column + 1) + ": '" + header.get(column).trim() + "' is in the"
                        + " header twice (columns " + earlier + " and " + (column + 1) + "): one of them would be lost");
            }
        }
        List<Map<String, Object>> sets = new ArrayList<>();
        for (int row = 1; row < rows.size(); row++) {
            List<String> cells = rows.get(row);
            if (cells.size() == 1 && cells.get(0).isEmpty()) {
                continue;
            }
            if (cells.size() != header.size()) {
                throw new BadInputException(source + ":" + read.lines().get(row) + ": row " + (row + 1) + " has " + cells.size()
                        + " fields, the header has " + header.size());
            }
            Map<String, Object> set = new LinkedHashMap<>();
            for (int column = 0; column < header.size(); column++) {
                if (!cells.get(column).isEmpty()) {
                    set.put(header.get(column).trim(), cells.get(column));
                }
            }
            sets.add(set);
        }
        return sets;
    }

    private static List<Map<String, Object>> lines(String text) {
        List<Map<String, Object>> sets = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new java.io.StringReader(text))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isEmpty()) {
                    Map<String, Object> set = new LinkedHashMap<>();
                    set.put("line", line);
                    sets.add(set);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sets;
    }

    private static List<Map<String, Object>> withOverrides(List<Map<String, Object>> sets, Map<String, Object> overrides) {
        if (overrides.isEmpty()) {
            return sets;
        }
        List<Map<String, Object>> merged = new ArrayList<>(sets.size());
        for (Map<String, Object> set : sets) {
            Map<String, Object> withCommon = new LinkedHashMap<>(overrides);
            withCommon.putAll(set);
            merged.add(withCommon);
        }
        return merged;
    }

    private static JsonNode parse(String text, String source, int lineOffset) {
        try {
            return WHOLE.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? source : source + ":" + (at.getLineNr() + lineOffset) + ":" + at.getColumnNr();
            throw new BadInputException(where + ": malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode node) {
        return Json.MAPPER.convertValue(node, LinkedHashMap.class);
    }

    private static Map<String, Object> part(JsonNode root, String name, String source) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new BadInputException(source + ": '" + name + "' must be a JSON object, not " + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return toMap(node);
    }

    /** {@code KEY=VALUE} of {@code --set}: VALUE is JSON when it parses as JSON, text otherwise. */
    /**
     * The grid {@code --product KEY=VALUES} options make: VALUES is a JSON array ({@code n=[1,2,4]}) or values between
     * commas ({@code n=1,2,4}), each JSON if it parses, text otherwise.
     */
    static Map<String, Object> product(List<String> axes) {
        Map<String, Object> product = new LinkedHashMap<>();
        for (String axis : axes) {
            int equals = axis.indexOf('=');
            if (equals <= 0) {
                throw new BadInputException("--product '" + axis + "' is not written KEY=VALUES (n=1,2,4 or n=[1,2,4])");
            }
            String values = axis.substring(equals + 1);
            Object parsed = parsedOrText(values);
            List<Object> list = new ArrayList<>();
            if (parsed instanceof List<?> array) {
                list.addAll(array);
            } else {
                for (String value : values.split(",", -1)) {
                    list.add(parsedOrText(value));
                }
            }
            product.put(axis.substring(0, equals).trim(), list);
        }
        return product;
    }

    private static Object parsedOrText(String value) {
        try {
            Object parsed = WHOLE.forType(Object.class).readValue(value);
            return parsed == null ? value : parsed;
        } catch (JsonProcessingException e) {
            return value;
        }
    }

    static Map<String, Object> overrides(List<String> assignments) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int equals = assignment.indexOf('=');
            if (equals <= 0) {
                throw new BadInputException("--set '" + assignment + "' is not written KEY=VALUE");
            }
            overrides.put(assignment.substring(0, equals).trim(), parsedOrText(assignment.substring(equals + 1)));
        }
        return overrides;
    }


}
