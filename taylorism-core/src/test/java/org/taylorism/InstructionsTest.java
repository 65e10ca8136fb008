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
