package org.taylorism;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Class-level part of a worker's footprint. Optional: a {@link Worker} subclass without it has
 * {@link Priority#DEFAULT} priority and is known by its simple class name.
 *
 * <pre>{@code
 * @Footprint(name = "sleeper", priority = Priority.DEFAULT, info = "Sleeps, then says so.")
 * public class Sleeper extends Worker { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Footprint {

    /** Short name used in reports, messages and generated worker names; defaults to the simple class name. */
    String name() default "";

    /** Priority of this class when several classes match one instruction set. */
    Priority priority() default Priority.DEFAULT;

    /** One sentence shown by {@code taylorism workers}. */
    String info() default "";
}
