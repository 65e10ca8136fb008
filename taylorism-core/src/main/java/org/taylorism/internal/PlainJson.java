package org.taylorism.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain JSON (objects, arrays, strings, numbers, booleans, null) read into and written from maps and lists
 * with jackson-core's streaming API alone. A fresh worker JVM reads its task file and writes a plain result
 * this way: building the databind {@link Json#MAPPER} costs a short worker JVM more than half its start
 * (about 120 of 200 ms with the class-data archive), so it is built only for results that need it.
 */
public final class PlainJson {

    private static final JsonFactory FACTORY = JsonFactory.builder().streamReadConstraints(Json.READ_CONSTRAINTS).build();

    private PlainJson() {
    }

    /** The JSON value in {@code file}, as maps (in document order), lists, strings, numbers, booleans and nulls. */
    public static Object read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file.toString());
    }

    /** The JSON value in {@code json}, read from {@code source} (named in errors). */
    public static Object read(byte[] json, String source) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() == null) {
                throw new IOException("no JSON value in " + source);
            }
            Object value = value(parser);
            if (parser.nextToken() != null) {
                throw new IOException("more than one JSON value in " + source + " (at " + parser.currentLocation().offsetDescription() + ")");
            }
            return value;
        }
    }

    private static Object value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    parser.nextToken();
                    object.put(key, value(parser));
                }
                return object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser));
                }
                return array;
            }
            case VALUE_STRING -> {
                return parser.getText();
            }
            case VALUE_NUMBER_INT -> {
                return integer(parser.getText());
            }
            case VALUE_NUMBER_FLOAT -> {
                return Double.parseDouble(parser.getText());
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected " + token + " at " + parser.currentLocation().offsetDescription());
        }
    }

    /**
     * An integer as databind reads it: the smallest of Integer, Long and BigInteger that holds it. Converted
     * from the token's text here, not by the parser: its number helper compiles regular expressions when it is
     * loaded, which costs a fresh worker JVM a few milliseconds for nothing.
     */
    private static Number integer(String text) {
        int digits = text.length() - (text.charAt(0) == '-' ? 1 : 0);
        if (digits <= 9) {
            return Integer.parseInt(text);
        }
        if (digits <= 18) {
            long value = Long.parseLong(text);
            return value == (int) value ? (Number) (int) value : (Number) value;
        }
        BigInteger value = new BigInteger(text);
        return value.bitLength() < 64 ? (Number) value.longValue() : value;
    }

    /**
     * Whether {@code value} is plain JSON as this class writes it: maps with string keys, lists, strings,
     * booleans, null, and the JDK's own number types (finite floating-point ones).
     */
    public static boolean isPlain(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte || value instanceof BigInteger || value instanceof BigDecimal) {
            return true;
        }
        if (value instanceof Double number) {
            return Double.isFinite(number);
        }
        if (value instanceof Float number) {
            return Float.isFinite(number);
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String) || !isPlain(entry.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (!isPlain(item)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** {@code value}, which {@link #isPlain} accepted, as JSON text. */
    public static byte[] write(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = FACTORY.createGenerator(bytes)) {
            write(generator, value);
        }
        return bytes.toByteArray();
    }

    private static void write(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String text) {
            generator.writeString(text);
        } else if (value instanceof Boolean flag) {
            generator.writeBoolean(flag);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            generator.writeNumber(((Number) value).intValue());
        } else if (value instanceof Long number) {
            generator.writeNumber(number);
        } else if (value instanceof BigInteger number) {
            generator.writeNumber(number);
        } else if (value instanceof BigDecimal number) {
            generator.writeNumber(number);
        } else if (value instanceof Double number) {
            generator.writeNumber(number);
        } else if (value instanceof Float number) {
            generator.writeNumber(number);
        } else if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                generator.writeFieldName((String) entry.getKey());
                write(generator, entry.getValue());
            }
            generator.writeEndObject();
        } else {
            generator.writeStartArray();
            for (Object item : (List<?>) value) {
                write(generator, item);
            }
            generator.writeEndArray();
        }
    }
}
