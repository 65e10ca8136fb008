package org.taylorism.internal;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Converts JSON-like instruction values (strings, numbers, booleans, lists, maps) to the declared type of an
 * attribute field, and back to JSON-like values for the task file. Used by the Boss when matching and by the
 * worker process when filling fields, so both sides agree on every value.
 */
public final class ValueConverter {

    /** Thrown with a message that names the offending value; the caller adds the attribute name. */
    public static final class ConversionException extends Exception {
        public ConversionException(String message) {
            super(message, null, false, false);
        }
    }

    private ValueConverter() {
    }

    /** Whether fields of this type can be attributes. */
    public static boolean isSupported(Type type) {
        Class<?> raw = rawClass(type);
        if (raw == List.class || raw == Map.class) {
            if (!(type instanceof ParameterizedType parameterized)) {
                return true;
            }
            Type[] arguments = parameterized.getActualTypeArguments();
            if (raw == Map.class && arguments[0] != String.class) {
                return false;
            }
            Type element = arguments[arguments.length - 1];
            return element == Object.class || isSupported(element);
        }
        return raw == String.class || raw == Object.class || raw == Path.class || raw.isEnum()
                || raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class
                || raw == double.class || raw == Double.class || raw == boolean.class || raw == Boolean.class;
    }

    /** Whether values of this type can be compared against allowed or outcast values. */
    public static boolean isScalar(Type type) {
        Class<?> raw = rawClass(type);
        return raw != List.class && raw != Map.class && raw != Object.class;
    }

    public static String typeName(Type type) {
        Class<?> raw = rawClass(type);
        if (type instanceof ParameterizedType parameterized) {
            List<String> arguments = new ArrayList<>();
            for (Type argument : parameterized.getActualTypeArguments()) {
                arguments.add(typeName(argument));
            }
            return raw.getSimpleName() + "<" + String.join(", ", arguments) + ">";
        }
        if (raw == Integer.class || raw == int.class) {
            return "int";
        }
        if (raw == Long.class || raw == long.class) {
            return "long";
        }
        if (raw == Double.class || raw == double.class) {
            return "double";
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return "boolean";
        }
        return raw.getSimpleName();
    }

    /**
     * {@code value} (a JSON-like value: a string, number, boolean, list or map) as an instance of {@code type}.
     *
     * @throws ConversionException naming the value, when it is not one
     */
    public static Object convert(Object value, Type type) throws ConversionException {
        if (value == null) {
            throw new ConversionException("null is not a " + typeName(type));
        }
        Class<?> raw = rawClass(type);
        if (raw == Object.class) {
            return value;
        }
        if (raw == String.class) {
            return toText(value, type);
        }
        if (raw == int.class || raw == Integer.class) {
            long whole = toWholeNumber(value, type);
            if (whole < Integer.MIN_VALUE || whole > Integer.MAX_VALUE) {
                throw new ConversionException(Names.show(value) + " is out of range for an int");
            }
            return (int) whole;
        }
        if (raw == long.class || raw == Long.class) {
            return toWholeNumber(value, type);
        }
        if (raw == double.class || raw == Double.class) {
            return toDouble(value, type);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return toBoolean(value, type);
        }
        if (raw == Path.class) {
            return toPath(value, type);
        }
        if (raw.isEnum()) {
            return toEnum(value, raw);
        }
        if (raw == List.class) {
            return toList(value, type);
        }
        if (raw == Map.class) {
            return toMap(value, type);
        }
        throw new ConversionException("unsupported attribute type " + type.getTypeName());
    }

    private static String toText(Object value, Type type) throws ConversionException {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw mismatch(value, type);
    }

    private static double toDouble(Object value, Type type) throws ConversionException {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text) {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw mismatch(value, type);
            }
        }
        throw mismatch(value, type);
    }

    private static boolean toBoolean(Object value, Type type) throws ConversionException {
        if (value instanceof Boolean flag) {
            return flag;
        }
        if (value instanceof String text) {
            if (text.equalsIgnoreCase("true")) {
                return true;
            }
            if (text.equalsIgnoreCase("false")) {
                return false;
            }
        }
        throw mismatch(value, type);
    }

    private static Path toPath(Object value, Type type) throws ConversionException {
        if (value instanceof Path path) {
            return path;
        }
        if (value instanceof String text && !text.isEmpty()) {
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw new ConversionException(Names.show(value) + " is not a valid path: " + e.getReason());
            }
        }
        throw mismatch(value, type);
    }

    private static List<Object> toList(Object value, Type type) throws ConversionException {
        if (!(value instanceof List<?> list)) {
            throw mismatch(value, type);
        }
        Type element = typeArgument(type, 0);
        List<Object> converted = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            try {
                converted.add(convert(list.get(i), element));
            } catch (ConversionException e) {
                throw new ConversionException("element " + i + ": " + e.getMessage());
            }
        }
        return Collections.unmodifiableList(converted);
    }

    private static Map<String, Object> toMap(Object value, Type type) throws ConversionException {
        if (!(value instanceof Map<?, ?> map)) {
            throw mismatch(value, type);
        }
        Type valueType = typeArgument(type, 1);
        Map<String, Object> converted = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            try {
                converted.put(String.valueOf(entry.getKey()), convert(entry.getValue(), valueType));
            } catch (ConversionException e) {
                throw new ConversionException("key '" + entry.getKey() + "': " + e.getMessage());
            }
        }
        return Collections.unmodifiableMap(converted);
    }

    /** The JSON-like form of a converted value, as written to the task file and the report. */
    public static Object toJsonValue(Object value) {
        if (value instanceof Path || value instanceof Enum<?>) {
            return value instanceof Enum<?> constant ? constant.name() : value.toString();
        }
        if (value instanceof List<?> list) {
            List<Object> json = new ArrayList<>(list.size());
            list.forEach(element -> json.add(toJsonValue(element)));
            return json;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> json = new LinkedHashMap<>();
            map.forEach((key, element) -> json.put(String.valueOf(key), toJsonValue(element)));
            return json;
        }
        return value;
    }

    /** Whether {@link #toJsonValue} would give an equal value: no path or enum in it, and only string keys. */
    public static boolean isJsonValue(Object value) {
        if (value instanceof Path || value instanceof Enum<?>) {
            return false;
        }
        if (value instanceof List<?> list) {
            for (Object element : list) {
                if (!isJsonValue(element)) {
                    return false;
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String) || !isJsonValue(entry.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    public static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType parameterized) {
            return (Class<?>) parameterized.getRawType();
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType parameterized) {
            Type[] arguments = parameterized.getActualTypeArguments();
            return arguments[Math.min(index, arguments.length - 1)];
        }
        return Object.class;
    }

    private static long toWholeNumber(Object value, Type type) throws ConversionException {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            try {
                return big.longValueExact();
            } catch (ArithmeticException e) {
                throw new ConversionException(Names.show(value) + " is out of range for a " + typeName(type));
            }
        }
        BigDecimal decimal;
        if (value instanceof Number number) {
            decimal = new BigDecimal(number.toString());
        } else if (value instanceof String text) {
            try {
                decimal = new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                throw mismatch(value, type);
            }
        } else {
            throw mismatch(value, type);
        }
        try {
            return decimal.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException e) {
            throw new ConversionException(Names.show(value) + " is not a whole number");
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object toEnum(Object value, Class<?> enumClass) throws ConversionException {
        if (enumClass.isInstance(value)) {
            return value;
        }
        if (value instanceof String text) {
            String wanted = text.trim().replace('-', '_');
            for (Object constant : enumClass.getEnumConstants()) {
                if (((Enum) constant).name().equalsIgnoreCase(wanted)) {
                    return constant;
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (Object constant : enumClass.getEnumConstants()) {
            names.add(((Enum) constant).name().toLowerCase(Locale.ROOT));
        }
        throw new ConversionException(Names.show(value) + " is not one of " + names);
    }

    private static String json(List<String> words) {
        try {
            return Json.MAPPER.writeValueAsString(words);
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            return String.valueOf(words);
        }
    }

    private static ConversionException mismatch(Object value, Type type) {
        String kind = value instanceof List ? "a list" : value instanceof Map ? "a map" : Names.show(value);
        if (value instanceof String text && rawClass(type) == List.class) {
            // The usual slip: a command line written as one string.
            List<String> words = List.of(text.trim().split("\\s+"));
            return new ConversionException(kind + " is text, not a list: write it as a JSON array, such as " + json(words)
                    + (words.size() > 1 ? " (or " + json(List.of("sh", "-c", text)) + " for a shell)" : ""));
        }
        return new ConversionException(kind + " is not a " + typeName(type));
    }
}
