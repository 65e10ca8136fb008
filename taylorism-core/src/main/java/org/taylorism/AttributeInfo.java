package org.taylorism;

import java.util.List;
import java.util.Map;

/**
 * How one attribute of a worker class reads its instruction: what {@code taylorism workers} shows.
 *
 * @param key the instruction key
 * @param aliases other keys accepted for it (the Java field name first)
 * @param type the declared type, e.g. {@code double} or {@code List<String>}
 * @param optional whether an instruction set may leave it out
 * @param defaultValue the value used when it is left out, or null
 * @param values the only values accepted, or empty for any
 * @param outcast values that reject the class
 * @param remap substitutions applied to supplied values
 * @param info one sentence of documentation
 */
public record AttributeInfo(String key, List<String> aliases, String type, boolean optional, Object defaultValue,
                            List<Object> values, List<Object> outcast, Map<String, String> remap, String info) {
}
