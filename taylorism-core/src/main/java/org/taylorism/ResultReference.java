package org.taylorism;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text in an instruction value that stands for what another set gave, filled in once that set ended: a set
 * that waits for others (its {@code after}) can take their results and output files.
 * <pre>
 * {{prepare.result}}         what set 'prepare' returned (a program's short standard output)
 * {{prepare.result.path}}    the 'path' entry of that result (a map); list entries by number: .result.0
 * {{prepare.stdout}}         the file holding its standard output ({{prepare.stderr}}: its standard error)
 * {{sim-*.result}}           the results of every set the pattern matches, in submission order
 * </pre>
 * A value that is nothing but one reference takes the value itself (a number, a map, a list for a pattern); in
 * longer text each reference is written as text (JSON for maps and lists, a pattern's values separated by
 * spaces); an element of a list that is nothing but a pattern's reference becomes one element per set
 * ({@code ["cat", "{{piece-*.stdout}}"]}). Double braces cannot be mistaken for {@code [key]} substitution,
 * which is done first. A set may read only sets it waits for; a set that ended without a result gives null.
 */
public final class ResultReference {

    private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([^{}\\s]+?)\\.(result|stdout|stderr)((?:\\.[^.{}\\s]+)*)\\s*}}");

    /** What of a set a reference takes. */
    public enum What {
        RESULT, STDOUT, STDERR
    }

    /**
     * One reference.
     *
     * @param name the set's name, or a pattern ({@code *} any characters, {@code ?} one)
     * @param what what it takes of it
     * @param path for a result: the entries to go down to, empty for the whole result
     * @param start where it starts in its text
     * @param end where it ends in its text
     */
    public record Ref(String name, What what, List<String> path, int start, int end) {

        /** Whether it names sets by a pattern. */
        public boolean isPattern() {
            return name.indexOf('*') >= 0 || name.indexOf('?') >= 0;
        }

        /** As written, for messages. */
        @Override
        public String toString() {
            return "{{" + name + "." + what.name().toLowerCase(java.util.Locale.ROOT) + (path.isEmpty() ? "" : "." + String.join(".", path))
                    + "}}";
        }
    }

    private ResultReference() {
    }

    /** The references in {@code text}, in order. */
    public static List<Ref> find(String text) {
        if (text.indexOf("{{") < 0) {
            return List.of();
        }
        List<Ref> refs = new ArrayList<>();
        Matcher matcher = REFERENCE.matcher(text);
        while (matcher.find()) {
            String path = matcher.group(3);
            refs.add(new Ref(matcher.group(1), What.valueOf(matcher.group(2).toUpperCase(java.util.Locale.ROOT)),
                    path.isEmpty() ? List.of() : List.of(path.substring(1).split("\\.")), matcher.start(), matcher.end()));
        }
        return refs;
    }

    /** Whether {@code value} (text, or lists and maps holding some) holds a reference. */
    public static boolean in(Object value) {
        if (value instanceof String text) {
            return !find(text).isEmpty();
        }
        if (value instanceof List<?> list) {
            for (Object element : list) {
                if (in(element)) {
                    return true;
                }
            }
        }
        if (value instanceof Map<?, ?> map && !FileReference.isReference(value)) {
            for (Object element : map.values()) {
                if (in(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every reference {@code value} holds, in order. */
    public static List<Ref> all(Object value) {
        List<Ref> refs = new ArrayList<>();
        collect(value, refs);
        return refs;
    }

    private static void collect(Object value, List<Ref> into) {
        if (value instanceof String text) {
            into.addAll(find(text));
        } else if (value instanceof List<?> list) {
            list.forEach(element -> collect(element, into));
        } else if (value instanceof Map<?, ?> map && !FileReference.isReference(value)) {
            map.values().forEach(element -> collect(element, into));
        }
    }
}
