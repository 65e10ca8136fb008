package org.taylorism.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
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
        if (value == null) {
            return true;
        }
        return switch (Kind.of(value)) {
            case STRING, BOOLEAN, SMALL_INTEGER, LONG, BIG_INTEGER, BIG_DECIMAL -> true;
            case DOUBLE -> Double.isFinite((Double) value);
            case FLOAT -> Float.isFinite((Float) value);
            case MAP -> isPlainMap((Map<?, ?>) value);
            case LIST -> isPlainList((List<?>) value);
            case OTHER -> false;
        };
    }

    private static boolean isPlainMap(Map<?, ?> map) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String) || !isPlain(entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlainList(List<?> list) {
        for (Object item : list) {
            if (!isPlain(item)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code value}, which {@link #isPlain} accepted, as JSON text.
     *
     * @throws IllegalArgumentException when it is not plain (it changed since it was checked)
     */
    public static byte[] write(Object value) throws IOException {
        byte[] text = writeIfPlain(value);
        if (text == null) {
            throw new IllegalArgumentException("not plain JSON: a " + value.getClass().getName() + " or something in it");
        }
        return text;
    }

    /** {@code value} as JSON text, or null when it is not plain: checked as it is written, in one walk. */
    static byte[] writeIfPlain(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = FACTORY.createGenerator(bytes)) {
            write(generator, value);
        } catch (NotPlain e) {
            return null;
        }
        return bytes.toByteArray();
    }

    /** A generator of JSON text to {@code out} that writes values one after another with nothing between them. */
    static JsonGenerator generatorOfValues(Writer out) throws IOException {
        JsonGenerator generator = FACTORY.createGenerator(out);
        generator.setRootValueSeparator(null);
        return generator;
    }

    /** {@link #generatorOfValues(Writer)}, writing UTF-8 bytes, as {@link #writeIfPlain} does. */
    static JsonGenerator generatorOfValues(OutputStream out) throws IOException {
        JsonGenerator generator = FACTORY.createGenerator(out);
        generator.setRootValueSeparator(null);
        return generator;
    }

    /**
     * Writes {@code value} to {@code generator}, checking it is plain as it goes, so that it is walked once.
     *
     * @throws NotPlain at the first part of it that is not plain, with what came before it written
     */
    static void write(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
            return;
        }
        switch (Kind.of(value)) {
            case STRING -> generator.writeString((String) value);
            case BOOLEAN -> generator.writeBoolean((Boolean) value);
            case SMALL_INTEGER -> generator.writeNumber(((Number) value).intValue());
            case LONG -> generator.writeNumber((Long) value);
            case BIG_INTEGER -> generator.writeNumber((BigInteger) value);
            case BIG_DECIMAL -> generator.writeNumber((BigDecimal) value);
            case DOUBLE -> generator.writeNumber(finite((Double) value));
            case FLOAT -> generator.writeNumber(finite((Float) value));
            case MAP -> {
                generator.writeStartObject();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    if (!(entry.getKey() instanceof String key)) {
                        throw NotPlain.INSTANCE;
                    }
                    generator.writeFieldName(key);
                    write(generator, entry.getValue());
                }
                generator.writeEndObject();
            }
            case LIST -> {
                generator.writeStartArray();
                for (Object item : (List<?>) value) {
                    write(generator, item);
                }
                generator.writeEndArray();
            }
            case OTHER -> throw NotPlain.INSTANCE;
        }
    }

    private static double finite(double number) {
        if (!Double.isFinite(number)) {
            throw NotPlain.INSTANCE;
        }
        return number;
    }

    private static float finite(float number) {
        if (!Float.isFinite(number)) {
            throw NotPlain.INSTANCE;
        }
        return number;
    }

    /** A value {@link #write(JsonGenerator, Object)} met is not plain: its caller writes it another way. */
    static final class NotPlain extends RuntimeException {
        /** One for all: it carries nothing, not even a stack trace. */
        static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super("not plain JSON", null, false, false);
        }
    }

    /**
     * What a value is to plain JSON, worked out once per class. Checking each value's class against {@code Map}
     * and {@code List} in turn costs more than it seems on JDK 17: a class keeps one cached answer to "does it
     * implement this interface", so checks of the same classes against different interfaces, from the Boss
     * thread and the store's writer at once, keep replacing each other's answer and walk the interfaces again.
     */
    private enum Kind {
        STRING, BOOLEAN, SMALL_INTEGER, LONG, BIG_INTEGER, BIG_DECIMAL, DOUBLE, FLOAT, MAP, LIST, OTHER;

        private static final ClassValue<Kind> OF_CLASS = new ClassValue<>() {
            @Override
            protected Kind computeValue(Class<?> type) {
                return Kind.ofClass(type);
            }
        };

        static Kind of(Object value) {
            return OF_CLASS.get(value.getClass());
        }

        private static Kind ofClass(Class<?> type) {
            if (type == String.class) {
                return STRING;
            } else if (type == Boolean.class) {
                return BOOLEAN;
            } else if (type == Integer.class || type == Short.class || type == Byte.class) {
                return SMALL_INTEGER;
            } else if (type == Long.class) {
                return LONG;
            } else if (BigInteger.class.isAssignableFrom(type)) {
                return BIG_INTEGER;
            } else if (BigDecimal.class.isAssignableFrom(type)) {
                return BIG_DECIMAL;
            } else if (type == Double.class) {
                return DOUBLE;
            } else if (type == Float.class) {
                return FLOAT;
            } else if (Map.class.isAssignableFrom(type)) {
                return MAP;
            } else if (List.class.isAssignableFrom(type)) {
                return LIST;
            }
            return OTHER;
        }
    }
}
