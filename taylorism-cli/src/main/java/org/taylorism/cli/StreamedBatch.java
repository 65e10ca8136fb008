package org.taylorism.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A big batch file of JSON Lines, read as a stream: checked whole first (UTF-8, one JSON object per line, no
 * {@code after}: a set may wait for one further down the file), then read again a part at a time as the run needs
 * sets, so that a million sets are never in memory at once. A batch that is small, or cannot be streamed, is read
 * whole, as {@link BatchFile} reads it; so is one whose check finds a fault, whose error {@link BatchFile} then names.
 */
final class StreamedBatch implements AutoCloseable {

    /** Batches of up to this many sets are read whole; bigger ones are handed to the Boss this many at a time. */
    static final int PART = 20_000;

    private final String source;
    private final int part;
    private final BufferedReader reader;
    private final Map<String, Object> overrides;
    private final int total;
    private int line;
    private int read;

    private StreamedBatch(String source, int part, BufferedReader reader, Map<String, Object> overrides, int total) {
        this.source = source;
        this.part = part;
        this.reader = reader;
        this.overrides = overrides;
        this.total = total;
    }

    /**
     * The batch at {@code location} as a stream, or null when it is read whole: standard input, a format other than
     * JSON Lines, a grid ({@code --product}), at most {@code part} sets, or a fault its check found.
     *
     * @param part how many sets are handed over at a time ({@link #PART}; tests make it small)
     */
    static StreamedBatch open(String location, BatchFile.Format format, Map<String, Object> overrides, Map<String, Object> product,
                              int part) {
        String name = location.toLowerCase(Locale.ROOT);
        boolean jsonLines = format == BatchFile.Format.JSONL
                || format == null && (name.endsWith(".jsonl") || name.endsWith(".ndjson"));
        if (location.equals("-") || !jsonLines || !product.isEmpty() || overrides.containsKey("after")
                || !Files.isRegularFile(Path.of(location))) {
            return null;
        }
        int total = checked(Path.of(location));
        if (total <= part) {
            return null;
        }
        try {
            return new StreamedBatch(location, part, strictReader(Path.of(location)), overrides, total);
        } catch (IOException e) {
            return null;
        }
    }

    /** How many sets the file holds, or 0 when it cannot be streamed (the whole-file reader then says why). */
    private static int checked(Path file) {
        int sets = 0;
        try (BufferedReader reader = strictReader(file)) {
            boolean first = true;
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                if (first && text.startsWith("\ufeff")) {
                    text = text.substring(1);
                }
                first = false;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode set = org.taylorism.internal.Json.MAPPER.readTree(text);
                if (set == null || !set.isObject() || set.has("after")) {
                    return 0;
                }
                sets++;
            }
        } catch (IOException | RuntimeException fault) {
            return 0;
        }
        return sets;
    }

    private static BufferedReader strictReader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
    }

    /** How many sets are handed to the Boss at a time. */
    int part() {
        return part;
    }

    /** How many sets the batch holds. */
    int total() {
        return total;
    }

    /** The line the last set read was on, from 1; 0 before the first. */
    int line() {
        return line;
    }

    String source() {
        return source;
    }

    /** The next sets, at most {@code most}, with the {@code --set} overrides; none at the end of the file. */
    List<Map<String, Object>> next(int most) {
        List<Map<String, Object>> sets = new ArrayList<>(Math.min(most, total - read));
        try {
            while (sets.size() < most) {
                String text = reader.readLine();
                if (text == null) {
                    break;
                }
                line++;
                if (line == 1 && text.startsWith("\ufeff")) {
                    text = text.substring(1);
                }
                if (text.isBlank()) {
                    continue;
                }
                Map<String, Object> set = new LinkedHashMap<>(overrides);
                set.putAll(BatchFile.jsonLine(text, source, line));
                sets.add(set);
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read batch " + source + " at line " + (line + 1) + ": " + e.getMessage(), e);
        }
        read += sets.size();
        return sets;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            // read only: nothing is lost
        }
    }
}
