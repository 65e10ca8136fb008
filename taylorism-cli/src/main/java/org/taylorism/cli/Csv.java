package org.taylorism.cli;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV reader (RFC 4180: quoted fields may hold commas, quotes written twice, and line breaks). Rows end at a line feed,
 * a carriage return and line feed, or a carriage return alone (the CSV of classic Mac OS, which Excel still writes).
 */
final class Csv {

    /** The rows read, and the line each begins on (from 1): a quoted field may span lines, so row N is not line N. */
    record Rows(List<List<String>> rows, List<Integer> lines) {
    }

    private final Reader reader;
    private final String source;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<Integer> rowLines = new ArrayList<>();
    private int rowLine = 1;
    private List<String> row = new ArrayList<>();
    private final StringBuilder field = new StringBuilder();
    private boolean quoted;
    private boolean fieldStarted;
    private int line = 1;
    private int quoteLine;

    private Csv(Reader reader, String source) {
        this.reader = reader;
        this.source = source;
    }

    /** The rows of the CSV text {@code reader} gives, read from {@code source} (named in errors). */
    static Rows read(Reader reader, String source) throws IOException {
        return new Csv(reader, source).rows();
    }

    private Rows rows() throws IOException {
        for (int c = reader.read(); c >= 0; c = reader.read()) {
            if (quoted) {
                inQuotes((char) c);
            } else {
                outsideQuotes((char) c);
            }
        }
        if (quoted) {
            throw new BadInputException(source + ":" + quoteLine + ": a quoted field is never closed");
        }
        if (fieldStarted || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
            rowLines.add(rowLine);
        }
        return new Rows(rows, rowLines);
    }

    private void inQuotes(char ch) throws IOException {
        if (ch != '"') {
            if (ch == '\n') {
                line++;
            }
            field.append(ch);
            return;
        }
        reader.mark(1);
        int next = reader.read();
        if (next == '"') {
            field.append('"'); // a doubled quote stands for one
        } else {
            quoted = false;
            if (next >= 0) {
                reader.reset();
            }
        }
    }

    private void outsideQuotes(char ch) throws IOException {
        switch (ch) {
            case '"' -> {
                if (fieldStarted && field.length() > 0) {
                    throw new BadInputException(source + ":" + line + ": a quote inside an unquoted field");
                }
                quoted = true;
                quoteLine = line;
                fieldStarted = true;
            }
            case ',' -> {
                row.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
            }
            case '\r' -> {
                reader.mark(1);
                int next = reader.read();
                if (next != '\n' && next >= 0) {
                    reader.reset(); // a carriage return alone ends the row too
                }
                endRow();
            }
            case '\n' -> endRow();
            default -> {
                field.append(ch);
                fieldStarted = true;
            }
        }
    }

    private void endRow() {
        row.add(field.toString());
        rows.add(row);
        rowLines.add(rowLine);
        row = new ArrayList<>();
        field.setLength(0);
        fieldStarted = false;
        line++;
        rowLine = line;
    }
}
