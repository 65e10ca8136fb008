package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstructionsTest {

    @Test
    void commonIsOverlaidWithEachIndividualValue() {
        List<Map<String, Object>> sets = Instructions.expand(Map.of("a", 1, "b", "common"),
                Map.of("b", List.of("x", "y"), "c", List.of(true, false)));
        assertEquals(List.of(Map.of("a", 1, "b", "x", "c", true), Map.of("a", 1, "b", "y", "c", false)), sets);
    }

    @Test
    void unequalListsNameEveryKeyAndItsLength() {
        InstructionsException error = assertThrows(InstructionsException.class,
                () -> Instructions.expand(Map.of(), orderedOf("a", List.of(1, 2), "b", List.of(1))));
        assertTrue(error.getMessage().contains("a has 2") && error.getMessage().contains("b has 1"), error.getMessage());
    }

    @Test
    void anIndividualValueThatIsNotAListIsNamed() {
        InstructionsException error = assertThrows(InstructionsException.class,
                () -> Instructions.expand(Map.of(), Map.of("a", "scalar")));
        assertTrue(error.getMessage().contains("individual instruction 'a' must be a list, not 'scalar'"), error.getMessage());
    }

    @Test
    void aProductOfMoreSetsThanABatchMayHoldIsRefusedBeforeAnyIsMade() {
        Map<String, Object> product = orderedOf("a", List.of(1, 2, 3, 4), "b", List.of("x", "y", "z"));
        InstructionsException error = assertThrows(InstructionsException.class,
                () -> Instructions.expand(Map.of(), Map.of("n", List.of(1, 2)), product, 20));
        assertEquals("the product instructions make 24 sets (a has 4, b has 3, for each of 2 individual sets), more than the 20"
                + " one batch may hold", error.getMessage());
        assertEquals(12, Instructions.expand(Map.of(), Map.of(), product, 12).size(), "as many as it may hold are made");

        List<Integer> thousand = java.util.Collections.nCopies(1_000, 0);
        Map<String, Object> huge = new java.util.LinkedHashMap<>();
        for (String key : List.of("a", "b", "c", "d", "e", "f", "g")) {
            huge.put(key, thousand);
        }
        error = assertThrows(InstructionsException.class, () -> Instructions.expand(Map.of(), Map.of(), huge));
        assertTrue(error.getMessage().startsWith("the product instructions make more than 9223372036854775807 sets (a has 1000, b has"
                + " 1000,"), error.getMessage());
        assertTrue(error.getMessage().endsWith("more than the " + Instructions.MOST_SETS + " one batch may hold"), error.getMessage());
    }

    @Test
    void aProductMakesEverySetOncePerCombinationTheFirstKeyVaryingSlowest() {
        Map<String, Object> product = new java.util.LinkedHashMap<>();
        product.put("a", List.of(1, 2));
        product.put("b", List.of("x", "y"));
        assertEquals(List.of(Map.of("c", 0, "a", 1, "b", "x"), Map.of("c", 0, "a", 1, "b", "y"), Map.of("c", 0, "a", 2, "b", "x"),
                Map.of("c", 0, "a", 2, "b", "y")), Instructions.expand(Map.of("c", 0), Map.of(), product));
        assertEquals(List.of(Map.of("n", "p", "a", 1), Map.of("n", "p", "a", 2), Map.of("n", "q", "a", 1), Map.of("n", "q", "a", 2)),
                Instructions.expand(Map.of(), Map.of("n", List.of("p", "q")), Map.of("a", List.of(1, 2))),
                "the zipped individual sets, each times the grid");
        assertEquals(List.of(Map.of("a", 2)), Instructions.expand(Map.of("a", 1), Map.of(), Map.of("a", List.of(2))),
                "a product value wins over a common one");
        assertEquals(List.of(), Instructions.expand(Map.of(), Map.of(), Map.of("a", List.of())), "an empty axis makes no set");
        InstructionsException error = assertThrows(InstructionsException.class,
                () -> Instructions.expand(Map.of(), Map.of(), Map.of("a", "scalar")));
        assertTrue(error.getMessage().contains("product instruction 'a' must be a list, not 'scalar'"), error.getMessage());
    }

    @Test
    void emptyCases() {
        assertEquals(List.of(Map.of("a", 1)), Instructions.expand(Map.of("a", 1), Map.of()), "common alone makes one set");
        assertEquals(List.of(), Instructions.expand(Map.of(), Map.of()), "nothing asked, nothing made");
        assertEquals(List.of(), Instructions.expand(null, null));
        assertEquals(List.of(), Instructions.expand(Map.of("a", 1), Map.of("b", List.of())), "empty lists make no set");
    }

    private static Map<String, Object> orderedOf(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
