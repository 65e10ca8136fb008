package org.taylorism;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.internal.Names;

/**
 * Expansion of {@code common} + {@code individual} (+ {@code product}) instructions into instruction sets.
 *
 * <p>Every value of {@code individual} is a list, all of the same length N; set i is a copy of
 * {@code common} overlaid with element i of every list (individual wins on a clash). The empty cases:
 * <ul>
 *   <li>{@code individual} has no key: one set made of {@code common} alone (no set when {@code common}
 *       is empty too: nothing was asked);</li>
 *   <li>{@code individual} has keys whose lists are all empty: no set, and a warning says so.</li>
 * </ul>
 *
 * <p>A {@code product} block makes a grid, as GNU parallel's {@code ::: a b ::: x y}: every value of it is a list,
 * and each set made as above is made once per combination of one element of each list, the first key varying
 * slowest ({@code {"a": [1, 2], "b": ["x", "y"]}} makes {@code a=1 b=x}, {@code a=1 b=y}, {@code a=2 b=x},
 * {@code a=2 b=y}). Product values win over individual ones, which win over common ones.
 */
public final class Instructions {

    private static final Logger log = LoggerFactory.getLogger(Instructions.class);

    private Instructions() {
    }

    /** The most sets one expansion makes: as many as a list can hold. */
    public static final int MOST_SETS = Integer.MAX_VALUE - 8;

    /**
     * @throws InstructionsException when a value of {@code individual} is not a list, or the lists differ in
     *     length (the message names every key with its length)
     */
    public static List<Map<String, Object>> expand(Map<String, ?> common, Map<String, ?> individual, Map<String, ?> product) {
        return expand(common, individual, product, MOST_SETS);
    }

    /**
     * {@link #expand(Map, Map, Map)}, refused when it would make more than {@code most} sets, before any set of the grid
     * is made (a grid grows as the product of its lists' lengths: a few kilobytes of them can ask for billions of sets).
     *
     * @throws InstructionsException for bad instructions, or for more than {@code most} sets (the message says how
     *     many, and of which lists)
     */
    public static List<Map<String, Object>> expand(Map<String, ?> common, Map<String, ?> individual, Map<String, ?> product,
                                                   int most) {
        List<Map<String, Object>> zipped = expand(common, individual);
        if (zipped.size() > most) {
            throw new InstructionsException(List.of("the individual instructions make " + zipped.size() + " sets, more than the "
                    + most + " one batch may hold"));
        }
        if (product == null || product.isEmpty()) {
            return zipped;
        }
        if (zipped.isEmpty() && individual != null && !individual.isEmpty()) {
            return zipped; // empty individual lists: no set to multiply
        }
        List<String> problems = new ArrayList<>();
        product.forEach((key, value) -> {
            if (!(value instanceof List<?>)) {
                problems.add("product instruction '" + key + "' must be a list, not " + Names.show(value));
            }
        });
        if (!problems.isEmpty()) {
            throw new InstructionsException(problems);
        }
        refuseMoreThan(most, Math.max(1, zipped.size()), product);
        List<Map<String, Object>> grid = new ArrayList<>(List.of(new LinkedHashMap<>()));
        for (Map.Entry<String, ?> axis : product.entrySet()) {
            List<Map<String, Object>> longer = new ArrayList<>();
            for (Map<String, Object> point : grid) {
                for (Object value : (List<?>) axis.getValue()) {
                    Map<String, Object> next = new LinkedHashMap<>(point);
                    next.put(axis.getKey(), value);
                    longer.add(next);
                }
            }
            grid = longer;
        }
        if (grid.isEmpty()) {
            log.warn("A product instruction of {} is an empty list: no instruction set is made", product.keySet());
            return List.of();
        }
        List<Map<String, Object>> bases = zipped.isEmpty() ? List.of(Map.of()) : zipped;
        List<Map<String, Object>> sets = new ArrayList<>(bases.size() * grid.size());
        for (Map<String, Object> base : bases) {
            for (Map<String, Object> point : grid) {
                Map<String, Object> set = new LinkedHashMap<>(base);
                set.putAll(point);
                sets.add(Collections.unmodifiableMap(set));
            }
        }
        return sets;
    }

    /**
     * How many combinations {@code product}'s lists make, {@code times} over: the product of their lengths, or
     * {@link Long#MAX_VALUE} past it. Its values are lists (as {@link #expand(Map, Map, Map)} checks).
     */
    public static long combinations(Map<String, ?> product, long times) {
        long count = times;
        for (Object axis : product.values()) {
            long length = ((List<?>) axis).size();
            count = length == 0 || count <= Long.MAX_VALUE / length ? count * length : Long.MAX_VALUE;
        }
        return count;
    }

    /** Refuses a grid of {@code product}'s lists, made once for each of {@code bases} sets, of more than {@code most} sets. */
    private static void refuseMoreThan(int most, long bases, Map<String, ?> product) {
        long count = combinations(product, bases);
        if (count > most) {
            String lengths = product.entrySet().stream().map(axis -> axis.getKey() + " has " + ((List<?>) axis.getValue()).size())
                    .collect(Collectors.joining(", "));
            throw new InstructionsException(List.of("the product instructions make " + (count == Long.MAX_VALUE ? "more than "
                    + Long.MAX_VALUE : count) + " sets (" + lengths + (bases > 1 ? ", for each of " + bases + " individual sets"
                    : "") + "), more than the " + most + " one batch may hold"));
        }
    }

    /** {@link #expand(Map, Map, Map)} without a product block. */
    public static List<Map<String, Object>> expand(Map<String, ?> common, Map<String, ?> individual) {
        Map<String, ?> shared = common == null ? Map.of() : common;
        Map<String, ?> perSet = individual == null ? Map.of() : individual;
        if (perSet.isEmpty()) {
            return shared.isEmpty() ? List.of() : List.of(Collections.unmodifiableMap(new LinkedHashMap<>(shared)));
        }
        Map<String, Integer> lengths = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        perSet.forEach((key, value) -> {
            if (value instanceof List<?> list) {
                lengths.put(key, list.size());
            } else {
                problems.add("individual instruction '" + key + "' must be a list, not " + Names.show(value));
            }
        });
        if (!problems.isEmpty()) {
            throw new InstructionsException(problems);
        }
        if (lengths.values().stream().distinct().count() > 1) {
            throw new InstructionsException(List.of("individual instructions must all have the same length, but "
                    + lengths.entrySet().stream().map(e -> e.getKey() + " has " + e.getValue()).toList()));
        }
        int count = lengths.values().iterator().next();
        if (count == 0) {
            log.warn("The individual instructions {} are all empty lists: no instruction set is made", lengths.keySet());
            return List.of();
        }
        List<Map<String, Object>> sets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map<String, Object> set = new LinkedHashMap<>(shared);
            for (Map.Entry<String, ?> entry : perSet.entrySet()) {
                set.put(entry.getKey(), ((List<?>) entry.getValue()).get(i));
            }
            sets.add(Collections.unmodifiableMap(set));
        }
        return sets;
    }
}
