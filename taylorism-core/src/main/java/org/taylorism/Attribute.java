package org.taylorism;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a {@link Worker} subclass as an attribute of its footprint: the Boss fills it from the
 * instruction set before {@link Worker#task()} runs in the worker's process.
 *
 * <p>The instruction key of a field is its name in snake case: a capital letter that starts a new word
 * becomes an underscore and the lower-case letter, so {@code sleepingTime} answers to {@code sleeping_time}
 * while {@code fileA} stays {@code fileA}. The field's own Java name is always accepted too, and
 * {@link #aliases()} adds more.
 *
 * <p>Supported field types: {@code String}, {@code int}, {@code long}, {@code double}, {@code boolean}
 * (and their boxes), enums, {@code java.nio.file.Path}, {@code List} and {@code Map} (of any of these).
 * Values given as strings are converted ({@code "4"} becomes {@code 4.0} for a double field).
 *
 * <pre>{@code
 * @Attribute(values = {"red", "green"}, remap = {"vert=green"}, aliases = "color")
 * String colour;
 * @Attribute(defaultValue = "Hello !")
 * String wakeupSentence;
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Attribute {

    /** Marker for "no default value"; never a real default. */
    String NO_DEFAULT = "\u0000no default";

    /** The instruction key; defaults to the field name in snake case. */
    String name() default "";

    /** Other keys that supply this attribute. */
    String[] aliases() default {};

    /** Whether an instruction set may leave this attribute out. Implied by a {@link #defaultValue()}. */
    boolean optional() default false;

    /** Value used when the attribute is absent, written as it would be in an instruction (converted to the field type). */
    String defaultValue() default NO_DEFAULT;

    /** When not empty, the only values accepted (after conversion and remapping). */
    String[] values() default {};

    /** Values that reject this class (after conversion and remapping). */
    String[] outcast() default {};

    /** Substitutions applied to the supplied value before it is checked, each written {@code "from=to"}. */
    String[] remap() default {};

    /** One sentence shown by {@code taylorism workers}. */
    String info() default "";
}
