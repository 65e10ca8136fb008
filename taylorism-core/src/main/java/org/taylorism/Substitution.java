package org.taylorism;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code [attr]} substitution: in string values, {@code [key]} is replaced by the value of {@code key} in the
 * instruction set. Brackets around anything that is not a key of the set are left alone, so shell globs and
 * regular expressions in commands pass through unchanged.
 */
final class Substitution {

    private static final Pattern REFERENCE = Pattern.compile("\\[([A-Za-z_][A-Za-z0-9_.-]*)]");

    private Substitution() {
    }

    static Object expand(Object value, Map<String, ?> context) {
        return expand(value, context, new HashSet<>());
    }

    /** Expands {@code value}, adding every key it referred to to {@code referenced}. */
    static Object expand(Object value, Map<String, ?> context, Set<String> referenced) {
        if (value instanceof String text) {
            return expandText(text, context, referenced);
        }
        if (value instanceof List<?> list) {
            List<Object> expanded = new ArrayList<>(list.size());
            list.forEach(element -> expanded.add(expand(element, context, referenced)));
            return expanded;
        }
        if (value instanceof Map<?, ?> map && !FileReference.isReference(value)) {
            Map<Object, Object> expanded = new LinkedHashMap<>();
            map.forEach((key, element) -> expanded.put(key, expand(element, context, referenced)));
            return expanded;
        }
        return value;
    }

    private static String expandText(String text, Map<String, ?> context, Set<String> referenced) {
        if (text.indexOf('[') < 0) {
            return text;
        }
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String key = matcher.group(1);
            Object replacement = context.get(key);
            boolean scalar = replacement instanceof String || replacement instanceof Number || replacement instanceof Boolean;
            if (scalar) {
                referenced.add(key);
            }
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(scalar ? replacement.toString() : matcher.group()));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }
}
