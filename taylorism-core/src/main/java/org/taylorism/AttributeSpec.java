package org.taylorism;

import java.lang.reflect.Field;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.taylorism.internal.Names;
import org.taylorism.internal.ValueConverter;

/** One attribute of a footprint, validated and with its annotation strings converted to the field type. */
final class AttributeSpec {

    private final String key;
    private final Field field;
    private final Type type;
    private final List<String> acceptedKeys;
    private final boolean optional;
    private final Object defaultValue;
    private final Set<Object> values;
    private final Set<Object> outcast;
    private final Map<String, String> remap;
    private final String info;

    private AttributeSpec(Field field, Attribute annotation) {
        this.field = field;
        this.type = field.getGenericType();
        this.key = annotation.name().isEmpty() ? Names.snakeCase(field.getName()) : annotation.name();
        String where = field.getDeclaringClass().getSimpleName() + "." + field.getName();
        if (!ValueConverter.isSupported(type)) {
            throw new IllegalArgumentException(where + ": attributes of type " + type.getTypeName()
                    + " are not supported (String, int, long, double, boolean, enums, Path, List, Map)");
        }
        Set<String> keys = new LinkedHashSet<>();
        keys.add(key);
        keys.add(field.getName());
        keys.addAll(List.of(annotation.aliases()));
        this.acceptedKeys = List.copyOf(keys);
        this.info = annotation.info();
        boolean scalar = ValueConverter.isScalar(type);
        if (!scalar && (annotation.values().length > 0 || annotation.outcast().length > 0 || annotation.remap().length > 0)) {
            throw new IllegalArgumentException(where + ": values, outcast and remap need a scalar type, not "
                    + ValueConverter.typeName(type));
        }
        this.values = convertAll(annotation.values(), where, "allowed value");
        this.outcast = convertAll(annotation.outcast(), where, "outcast value");
        // Remapping works on values as supplied, before conversion: a source need not be a valid value.
        Map<String, String> remapping = new LinkedHashMap<>();
        for (String entry : annotation.remap()) {
            int equals = entry.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException(where + ": remap entry '" + entry + "' is not written from=to");
            }
            String target = entry.substring(equals + 1);
            convertAnnotationValue(target, where, "remap target");
            remapping.put(entry.substring(0, equals), target);
        }
        this.remap = Collections.unmodifiableMap(remapping);
        boolean hasDefault = !Attribute.NO_DEFAULT.equals(annotation.defaultValue());
        this.optional = annotation.optional() || hasDefault;
        if (hasDefault) {
            this.defaultValue = convertAnnotationValue(annotation.defaultValue(), where, "default");
            String problem = checkAllowed(defaultValue);
            if (problem != null) {
                throw new IllegalArgumentException(where + ": the default " + problem);
            }
        } else {
            this.defaultValue = null;
        }
    }

    static AttributeSpec of(Field field, Attribute annotation) {
        return new AttributeSpec(field, annotation);
    }

    String key() {
        return key;
    }

    Field field() {
        return field;
    }

    Type type() {
        return type;
    }

    List<String> acceptedKeys() {
        return acceptedKeys;
    }

    boolean optional() {
        return optional;
    }

    Object defaultValue() {
        return defaultValue;
    }

    /** Remaps, converts and checks a supplied value; the message of the exception names the value. */
    Object accept(Object raw) throws ValueConverter.ConversionException {
        boolean scalar = raw instanceof String || raw instanceof Number || raw instanceof Boolean;
        Object remapped = scalar && remap.containsKey(raw.toString()) ? remap.get(raw.toString()) : raw;
        Object value = ValueConverter.convert(remapped, type);
        String problem = checkAllowed(value);
        if (problem != null) {
            throw new ValueConverter.ConversionException(problem);
        }
        return value;
    }

    AttributeInfo describe() {
        return new AttributeInfo(key, acceptedKeys.subList(1, acceptedKeys.size()), ValueConverter.typeName(type), optional,
                ValueConverter.toJsonValue(defaultValue), jsonList(values), jsonList(outcast), Map.copyOf(remap), info);
    }

    private String checkAllowed(Object value) {
        if (!values.isEmpty() && !values.contains(value)) {
            return Names.show(ValueConverter.toJsonValue(value)) + " not in " + jsonList(values);
        }
        if (outcast.contains(value)) {
            return Names.show(ValueConverter.toJsonValue(value)) + " is an outcast value";
        }
        return null;
    }

    private Set<Object> convertAll(String[] texts, String where, String what) {
        Set<Object> converted = new LinkedHashSet<>();
        for (String text : texts) {
            converted.add(convertAnnotationValue(text, where, what));
        }
        return Collections.unmodifiableSet(converted);
    }

    private Object convertAnnotationValue(String text, String where, String what) {
        try {
            return ValueConverter.convert(text, type);
        } catch (ValueConverter.ConversionException e) {
            throw new IllegalArgumentException(where + ": " + what + " " + e.getMessage(), e);
        }
    }

    private static List<Object> jsonList(Set<Object> set) {
        List<Object> json = new ArrayList<>();
        set.forEach(value -> json.add(ValueConverter.toJsonValue(value)));
        return json;
    }
}
