package org.taylorism;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.taylorism.internal.CompactMap;
import org.taylorism.internal.ValueConverter;

/**
 * A registered worker class and its footprint, read once from its annotations. Instances are immutable and
 * validated: a malformed footprint fails when the class is registered, not when a batch runs.
 */
public final class WorkerType {

    private final Class<? extends Worker> javaClass;
    private final String name;
    private final Priority priority;
    private final String info;
    private final List<AttributeSpec> attributes;
    private final Map<String, AttributeSpec> attributesByAcceptedKey;
    private final Map<String, String> fieldBindings;

    private WorkerType(Class<? extends Worker> javaClass) {
        this.javaClass = javaClass;
        Footprint footprint = javaClass.getAnnotation(Footprint.class);
        this.name = footprint == null || footprint.name().isEmpty() ? javaClass.getSimpleName() : footprint.name();
        this.priority = footprint == null ? Priority.DEFAULT : footprint.priority();
        this.info = footprint == null ? "" : footprint.info();
        checkInstantiable(javaClass);
        List<AttributeSpec> specs = new ArrayList<>();
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = javaClass; c != Object.class; c = c.getSuperclass()) {
            hierarchy.add(0, c);
        }
        boolean ownMandatory = false;
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                Attribute annotation = field.getAnnotation(Attribute.class);
                if (annotation == null) {
                    continue;
                }
                if (Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers())) {
                    throw new IllegalArgumentException(c.getSimpleName() + "." + field.getName()
                            + ": an attribute field must be neither static nor final");
                }
                AttributeSpec spec = AttributeSpec.of(field, annotation);
                specs.add(spec);
                ownMandatory |= !spec.optional() && c != Worker.class;
            }
        }
        if (!ownMandatory) {
            throw new IllegalArgumentException(javaClass.getName()
                    + " declares no mandatory @Attribute: it would match every instruction set");
        }
        Map<String, AttributeSpec> byKey = new HashMap<>();
        for (AttributeSpec spec : specs) {
            for (String key : spec.acceptedKeys()) {
                AttributeSpec clash = byKey.putIfAbsent(key, spec);
                if (clash != null && clash != spec) {
                    throw new IllegalArgumentException(javaClass.getSimpleName() + ": key '" + key + "' is claimed by both "
                            + clash.field().getName() + " and " + spec.field().getName());
                }
            }
            spec.field().setAccessible(true);
        }
        this.attributes = List.copyOf(specs);
        this.attributesByAcceptedKey = Map.copyOf(byKey);
        Map<String, String> bindings = new HashMap<>();
        for (AttributeSpec spec : specs) {
            bindings.put(spec.key(), spec.field().getDeclaringClass().getName() + "#" + spec.field().getName());
        }
        this.fieldBindings = Map.copyOf(bindings);
    }

    /**
     * Reads and validates the footprint of a worker class.
     *
     * @throws IllegalArgumentException naming the class and field when the footprint is malformed
     */
    public static WorkerType of(Class<? extends Worker> javaClass) {
        return new WorkerType(javaClass);
    }

    /** The short name used in reports ({@code "command"} for the built-in command worker). */
    public String name() {
        return name;
    }

    public Class<? extends Worker> javaClass() {
        return javaClass;
    }

    public Priority priority() {
        return priority;
    }

    public String info() {
        return info;
    }

    /** Every attribute, inherited built-ins first. */
    public List<AttributeInfo> attributes() {
        List<AttributeInfo> described = new ArrayList<>();
        attributes.forEach(spec -> described.add(spec.describe()));
        return described;
    }

    /** Whether the worker runs an external program rather than a Java task. */
    public boolean isCommand() {
        return CommandWorker.class.isAssignableFrom(javaClass);
    }

    List<AttributeSpec> specs() {
        return attributes;
    }

    /** How this class fits one instruction set. */
    sealed interface Fit permits Fits, Misfit {
        WorkerType type();
    }

    /**
     * The class fits: the converted values by key (defaults included), how many attributes were supplied, and the keys
     * its values referred to through {@code [key]}.
     */
    record Fits(WorkerType type, Map<String, Object> values, int supplied, Set<String> referencedKeys) implements Fit {

        /** Whether the set's {@code key} is read: as an attribute's, or through {@code [key]} in a value. */
        boolean reads(String key) {
            // A null key (a set built in Java) is no attribute's, nor in any [key]; the sets asked would throw on it.
            return key != null && (type.attributesByAcceptedKey.containsKey(key) || referencedKeys.contains(key));
        }
    }

    /** The class does not fit: every reason, when they were asked for, else the first. */
    record Misfit(WorkerType type, List<String> reasons) implements Fit {
    }

    /**
     * How this class fits {@code instructions}; a misfit gives every reason when {@code allReasons}, else its first.
     * Fitting runs for every class at every set submitted, thousands a second: what only some sets need (the set with
     * its defaults, for [key] substitution; every reason a class does not fit) is made only when one does.
     */
    Fit fit(Map<String, Object> instructions, boolean allReasons) {
        Fitting fitting = new Fitting(instructions);
        List<String> reasons = null;
        for (AttributeSpec spec : attributes) {
            String reason = fitting.fit(spec);
            if (reason != null && !allReasons) {
                return new Misfit(this, List.of(reason));
            }
            if (reason != null) {
                reasons = reasons == null ? new ArrayList<>() : reasons;
                reasons.add(reason);
            }
        }
        if (reasons != null) {
            return new Misfit(this, List.copyOf(reasons));
        }
        return new Fits(this, fitting.values(), fitting.supplied, fitting.referenced);
    }

    /** One set's fitting to this class, attribute by attribute: the values so far, and the keys referred to through [key]. */
    private final class Fitting {
        private final Map<String, Object> instructions;
        /** The values so far, each key followed by its value: at most one per attribute, most sets give a few. */
        private Object[] keysAndValues = new Object[Math.min(attributes.size(), 4) * 2];
        private int valuesEnd;
        private int supplied;
        /** What [key] refers to, and the keys it referred to: made at the first value that may hold one. */
        private Map<String, Object> context;
        private Set<String> referenced = Set.of();

        Fitting(Map<String, Object> instructions) {
            this.instructions = instructions;
        }

        private void put(String key, Object value) {
            if (valuesEnd == keysAndValues.length) {
                keysAndValues = Arrays.copyOf(keysAndValues, Math.min(keysAndValues.length * 2, attributes.size() * 2));
            }
            keysAndValues[valuesEnd++] = key;
            keysAndValues[valuesEnd++] = value;
        }

        Map<String, Object> values() {
            return CompactMap.ofEntries(valuesEnd == keysAndValues.length ? keysAndValues : Arrays.copyOf(keysAndValues, valuesEnd));
        }

        /** Fits the attribute of {@code spec}; returns why it does not fit, or null when it does. */
        String fit(AttributeSpec spec) {
            List<String> keys = spec.acceptedKeys();
            int given = keyGiven(keys, instructions);
            if (given == NONE_GIVEN) {
                if (!spec.optional()) {
                    return spec.key() + ": missing";
                }
                if (spec.defaultValue() != null) {
                    put(spec.key(), spec.defaultValue());
                }
                return null;
            }
            if (given == SEVERAL_GIVEN) {
                return spec.key() + ": given more than once, as " + keysGiven(keys, instructions);
            }
            String key = keys.get(given);
            supplied++;
            Object raw = instructions.get(key);
            if (raw == null) {
                return spec.optional() ? null : spec.key() + ": null";
            }
            if (FileReference.isReference(raw)) {
                put(spec.key(), raw);
                return null;
            }
            Object expanded = expanded(raw);
            if (ResultReference.in(raw)) {
                // What other sets give comes once they ended: [key] is expanded now, the value converted then.
                put(spec.key(), expanded);
                return null;
            }
            try {
                put(spec.key(), spec.accept(expanded));
                return null;
            } catch (ValueConverter.ConversionException e) {
                return spec.key() + (key.equals(spec.key()) ? "" : " (given as " + key + ")") + ": " + e.getMessage();
            }
        }

        /** {@code raw} with its [key] references expanded; a list or map is copied: a set's values never share the caller's. */
        private Object expanded(Object raw) {
            if (context == null && Substitution.mayExpand(raw)) {
                context = substitutionContext(instructions);
                referenced = new HashSet<>();
            }
            if (context == null && !(raw instanceof List<?>) && !(raw instanceof Map<?, ?>)) {
                return raw;
            }
            // Without a context no value holds a '[': nothing is referred to, nothing added to the empty set.
            return Substitution.expand(raw, context == null ? Map.of() : context, referenced);
        }
    }

    private static final int NONE_GIVEN = -1;
    private static final int SEVERAL_GIVEN = -2;

    /** Which of an attribute's {@code keys} the set gives it under: its index, {@link #NONE_GIVEN} or {@link #SEVERAL_GIVEN}. */
    private static int keyGiven(List<String> keys, Map<String, Object> instructions) {
        int found = NONE_GIVEN;
        for (int i = 0; i < keys.size(); i++) {
            if (instructions.containsKey(keys.get(i))) {
                if (found != NONE_GIVEN) {
                    return SEVERAL_GIVEN;
                }
                found = i;
            }
        }
        return found;
    }

    private static List<String> keysGiven(List<String> keys, Map<String, Object> instructions) {
        List<String> present = new ArrayList<>();
        for (String key : keys) {
            if (instructions.containsKey(key)) {
                present.add(key);
            }
        }
        return present;
    }

    /** What {@code [key]} refers to in a set's values: the set, and the defaults of attributes it does not give. */
    private Map<String, Object> substitutionContext(Map<String, Object> instructions) {
        Map<String, Object> context = new HashMap<>(instructions);
        for (AttributeSpec spec : attributes) {
            if (spec.defaultValue() != null && !isSupplied(spec, instructions)) {
                context.putIfAbsent(spec.key(), ValueConverter.toJsonValue(spec.defaultValue()));
            }
        }
        return context;
    }

    /**
     * The value of attribute {@code key} once converted from {@code raw}, as matching converts it: for a value whose
     * references to other sets' results were filled in after it was matched.
     *
     * @throws IllegalArgumentException naming the key and why the value does not fit
     */
    Object convert(String key, Object raw) {
        AttributeSpec spec = attributesByAcceptedKey.get(key);
        if (spec == null) {
            throw new IllegalArgumentException(name + " has no attribute " + key);
        }
        try {
            return spec.accept(raw);
        } catch (ValueConverter.ConversionException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fills the attribute fields of a fresh instance from JSON-like values (file references are read here).
     * Reached through {@link org.taylorism.internal.WorkerAccess}.
     */
    Worker instantiate(Map<String, Object> values) throws ReflectiveOperationException, java.io.IOException {
        Worker worker = javaClass.getDeclaredConstructor().newInstance();
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            AttributeSpec spec = attributesByAcceptedKey.get(entry.getKey());
            if (spec == null || entry.getValue() == null) {
                continue;
            }
            Object raw = entry.getValue();
            try {
                // The Boss already remapped and checked inline values; only referenced content is new here.
                Object value = FileReference.isReference(raw)
                        ? spec.accept(FileReference.load(raw))
                        : ValueConverter.convert(raw, spec.type());
                spec.field().set(worker, value);
            } catch (ValueConverter.ConversionException e) {
                throw new IllegalArgumentException(spec.key() + ": " + e.getMessage(), e);
            }
        }
        return worker;
    }

    /**
     * The field of each attribute, by key, as {@code DeclaringClass#field}: what a worker JVM needs to fill a
     * worker without this class. Reading annotations makes the JDK generate a proxy class per annotation type,
     * about 15 ms of a fresh worker JVM's 100. Reached through {@link org.taylorism.internal.WorkerAccess}.
     */
    Map<String, String> fieldBindings() {
        return fieldBindings;
    }

    private static boolean isSupplied(AttributeSpec spec, Map<String, Object> instructions) {
        for (String key : spec.acceptedKeys()) {
            if (instructions.containsKey(key)) {
                return true;
            }
        }
        return false;
    }

    private static void checkInstantiable(Class<? extends Worker> javaClass) {
        if (Modifier.isAbstract(javaClass.getModifiers()) || !Modifier.isPublic(javaClass.getModifiers())) {
            throw new IllegalArgumentException(javaClass.getName() + " must be a public, non-abstract class");
        }
        if (javaClass.getEnclosingClass() != null && !Modifier.isStatic(javaClass.getModifiers())) {
            throw new IllegalArgumentException(javaClass.getName() + " must be a top-level or static nested class");
        }
        try {
            Constructor<? extends Worker> constructor = javaClass.getDeclaredConstructor();
            if (!Modifier.isPublic(constructor.getModifiers())) {
                throw new IllegalArgumentException(javaClass.getName() + " needs a public no-argument constructor");
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(javaClass.getName() + " needs a public no-argument constructor", e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + javaClass.getName() + ", priority " + priority + ")";
    }
}
