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
 *
 * <p>Modifiers follow the key, each after a {@code |}, applied in order (GNU parallel's {@code {.}}, {@code {/}},
 * {@code {//}}, {@code {/.}}, and a quoted form): {@code [f|.]} without its last extension, {@code [f|/]} its last
 * path element, {@code [f|//]} the path before it ({@code .} for none), {@code [f|/.]} the last element without its
 * extension, {@code [f|q]} quoted for a POSIX shell (between single quotes), as in
 * {@code ["sh", "-c", "gzip -c [f|q] > out/[f|/.|q].gz"]}, safe whatever the name holds.
 */
final class Substitution {

    private static final Pattern REFERENCE = Pattern.compile("\\[([A-Za-z_][A-Za-z0-9_.-]*)((?:\\|(?://|/\\.|/|\\.|q))*)]");

    private Substitution() {
    }

    static Object expand(Object value, Map<String, ?> context) {
        return expand(value, context, new HashSet<>());
    }

    /** Whether {@code value} holds text with a {@code [} in it: what {@link #expand} might change. */
    static boolean mayExpand(Object value) {
        if (value instanceof String text) {
            return text.indexOf('[') >= 0;
        }
        if (value instanceof List<?> list) {
            for (Object element : list) {
                if (mayExpand(element)) {
                    return true;
                }
            }
        } else if (value instanceof Map<?, ?> map && !FileReference.isReference(value)) {
            for (Object element : map.values()) {
                if (mayExpand(element)) {
                    return true;
                }
            }
        }
        return false;
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
            String substituted = scalar ? modified(replacement.toString(), matcher.group(2)) : matcher.group();
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(substituted));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }

    /** {@code value} with the {@code |}-separated {@code modifiers} applied in order. */
    private static String modified(String value, String modifiers) {
        String result = value;
        for (String modifier : modifiers.isEmpty() ? new String[0] : modifiers.substring(1).split("\\|")) {
            result = switch (modifier) {
                case "." -> withoutExtension(result);
                case "/" -> result.substring(result.lastIndexOf('/') + 1);
                case "//" -> directoryOf(result);
                case "/." -> withoutExtension(result.substring(result.lastIndexOf('/') + 1));
                default -> "'" + result.replace("'", "'\\''") + "'"; // q: POSIX single quotes, a quote as '\''
            };
        }
        return result;
    }

    /** The path before its last element: {@code .} for none, {@code /} for the root. */
    private static String directoryOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : path.substring(0, slash);
    }

    /** Without the last extension of its last path element ({@code a/b.tar.gz} gives {@code a/b.tar}; {@code .bashrc} stays). */
    private static String withoutExtension(String path) {
        int dot = path.lastIndexOf('.');
        int slash = path.lastIndexOf('/');
        return dot > slash + 1 ? path.substring(0, dot) : path;
    }
}
