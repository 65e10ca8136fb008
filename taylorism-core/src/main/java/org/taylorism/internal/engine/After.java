package org.taylorism.internal.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A set's {@code after}, read: its condition, resolved to the names of sets submitted before it or with it, and
 * the delay after the condition holds (Eventor's delayed association). Forms:
 * <pre>
 * "after": "prepare"                                     that set succeeded
 * "after": ["prepare", "sim-*"]                          every one of them succeeded (a pattern: every set it matches)
 * "after": {"ended": ["sim-*"], "delay": 30}             every one ended, however; then 30 s more
 * "after": {"succeeded": ["build"], "failed": ["test"]}  both at once (each key must hold)
 * "after": {"any_of": [{"failed": ["a"]}, {"failed": ["b"]}]}   either
 * </pre>
 *
 * @param condition what must hold
 * @param delay how long after it holds the set may go
 * @param reads the sets whose results or output files its values take ({@link org.taylorism.ResultReference}), once
 *     they ended; empty for none
 */
record After(Dependency condition, Duration delay, Set<String> reads) {

    /** The key of the attribute. */
    static final String KEY = "after";

    private static final String DELAY = "delay";
    private static final String ANY_OF = "any_of";

    /**
     * Reads {@code value}, the {@code after} of set {@code self}.
     *
     * @param names gives the sets a name or pattern stands for (never empty), or throws naming what is wrong
     * @throws IllegalArgumentException naming what is wrong with it
     */
    static After parse(Object value, String self, Function<String, List<String>> names) {
        Duration delay = Duration.ZERO;
        if (value instanceof Map<?, ?> map && map.containsKey(DELAY)) {
            Object seconds = map.get(DELAY);
            if (!(seconds instanceof Number number) || number.doubleValue() < 0 || Double.isNaN(number.doubleValue())) {
                throw new IllegalArgumentException("after: delay must be a number of seconds, 0 or more, not " + seconds);
            }
            delay = Duration.ofMillis(Math.round(number.doubleValue() * 1000));
        }
        Dependency condition = condition(value, self, names, true);
        return new After(condition, delay, Set.of());
    }

    private static Dependency condition(Object value, String self, Function<String, List<String>> names, boolean top) {
        if (value instanceof String || value instanceof List<?>) {
            return new Dependency.Upon(Dependency.Outcome.SUCCEEDED, resolved(value, self, names, "after"));
        }
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new IllegalArgumentException("after: '" + value + "' is not a set name, a list of them, or an object with keys"
                    + " succeeded, failed, ended, any_of" + (top ? ", delay" : ""));
        }
        List<Dependency> parts = new ArrayList<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (key.equals(DELAY) && top) {
                continue;
            }
            if (key.equals(ANY_OF)) {
                if (!(entry.getValue() instanceof List<?> alternatives) || alternatives.isEmpty()) {
                    throw new IllegalArgumentException("after: any_of must be a non-empty list of conditions, not " + entry.getValue());
                }
                List<Dependency> either = new ArrayList<>();
                alternatives.forEach(alternative -> either.add(condition(alternative, self, names, false)));
                parts.add(new Dependency.AnyOf(either));
                continue;
            }
            Dependency.Outcome outcome = outcomeOf(key, top);
            parts.add(new Dependency.Upon(outcome, resolved(entry.getValue(), self, names, "after." + key)));
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("after: a delay alone waits for nothing; say what it waits for");
        }
        return parts.size() == 1 ? parts.get(0) : new Dependency.AllOf(parts);
    }

    private static Dependency.Outcome outcomeOf(String key, boolean top) {
        for (Dependency.Outcome outcome : Dependency.Outcome.values()) {
            if (outcome.key().equals(key)) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("after: unknown key '" + key + "' (known: succeeded, failed, ended, any_of"
                + (top ? ", delay" : "; a delay goes at the top of 'after'") + ")");
    }

    private static List<String> resolved(Object value, String self, Function<String, List<String>> names, String where) {
        List<?> given = value instanceof List<?> list ? list : List.of(value);
        if (given.isEmpty()) {
            throw new IllegalArgumentException(where + ": an empty list waits for nothing");
        }
        List<String> resolved = new ArrayList<>();
        for (Object element : given) {
            if (!(element instanceof String text) || text.isBlank()) {
                throw new IllegalArgumentException(where + ": '" + element + "' is not a set name or pattern");
            }
            if (text.equals(self)) {
                throw new IllegalArgumentException(where + ": '" + self + "' waits for itself");
            }
            for (String name : names.apply(text)) {
                if (!name.equals(self)) {
                    resolved.add(name);
                }
            }
        }
        if (resolved.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + given + " matches no set but this one");
        }
        return List.copyOf(resolved);
    }

    /**
     * This, with the references to other sets' results that {@code instructions} hold checked and read: each must
     * name a set it waits for (a pattern: only such sets), and take output files whole.
     *
     * @throws IllegalArgumentException naming the first bad reference
     */
    After reading(Map<String, Object> instructions) {
        Set<String> upstream = condition.upstream();
        Set<String> read = new java.util.LinkedHashSet<>();
        for (org.taylorism.ResultReference.Ref ref : org.taylorism.ResultReference.all(instructions)) {
            if (ref.what() != org.taylorism.ResultReference.What.RESULT && !ref.path().isEmpty()) {
                throw new IllegalArgumentException(ref + ": an output file is taken whole; only a result has entries");
            }
            List<String> found = ref.isPattern() ? matching(ref.name(), upstream) : List.of(ref.name());
            if (found.isEmpty() || !upstream.containsAll(found)) {
                throw new IllegalArgumentException(ref + (ref.isPattern() ? " matches no set it waits for" : " reads set '" + ref.name()
                        + "', which it does not wait for") + ": what it reads must be in its 'after'");
            }
            read.addAll(found);
        }
        return new After(condition, delay, java.util.Collections.unmodifiableSet(read));
    }

    /** What it waits for, in words: {@code prepare succeeded, then 30 s}. */
    String describe() {
        return condition.describe() + (delay.isZero() ? "" : ", then " + delay.toMillis() / 1000.0 + " s");
    }

    /** The names of {@code among} that {@code pattern} matches, in their order. */
    static List<String> matching(String pattern, Collection<String> among) {
        Pattern regex = regex(pattern);
        return among.stream().filter(name -> regex.matcher(name).matches()).toList();
    }

    /** Whether {@code text} is a pattern ({@code *} any characters, {@code ?} one) rather than a name. */
    static boolean isPattern(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
    }

    /** What every name a pattern matches starts with: its text before its first {@code *} or {@code ?}. */
    static String literalPrefix(String pattern) {
        int wildcard = pattern.length();
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) == '*' || pattern.charAt(i) == '?') {
                wildcard = i;
                break;
            }
        }
        return pattern.substring(0, wildcard);
    }

    /** A pattern's regular expression: {@code *} any characters, {@code ?} one, the rest as is. */
    static Pattern regex(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String piece : pattern.split("(?=[*?])|(?<=[*?])")) {
            regex.append(piece.equals("*") ? ".*" : piece.equals("?") ? "." : Pattern.quote(piece));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /**
     * Resolves names and patterns against the sets known: those submitted before and those of the batch; a
     * pattern's matches are worked out once per batch.
     */
    static final class Names implements Function<String, List<String>> {
        private final NameIndex earlier;
        private final Set<String> batch;
        private final Map<String, List<String>> matches = new HashMap<>();

        Names(NameIndex earlier, Set<String> batch) {
            this.earlier = earlier;
            this.batch = batch;
        }

        @Override
        public List<String> apply(String text) {
            if (!isPattern(text)) {
                if (!batch.contains(text) && !earlier.contains(text)) {
                    throw new IllegalArgumentException("after: no set is named '" + text + "' (in this batch or an earlier one)");
                }
                return List.of(text);
            }
            List<String> found = matches.get(text);
            if (found == null) {
                Pattern regex = regex(text);
                Set<String> all = new LinkedHashSet<>(earlier.matching(regex));
                String prefix = literalPrefix(text); // most names are told apart by it, without the regex
                for (String name : batch) {
                    if (name.startsWith(prefix) && regex.matcher(name).matches()) {
                        all.add(name);
                    }
                }
                if (all.isEmpty()) {
                    throw new IllegalArgumentException("after: the pattern '" + text + "' matches no set (in this batch or an earlier one)");
                }
                found = List.copyOf(all);
                matches.put(text, found);
            }
            return found;
        }
    }
}
