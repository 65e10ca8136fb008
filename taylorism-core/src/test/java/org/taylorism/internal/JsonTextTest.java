package org.taylorism.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The JSON text of the store's writer: one kept generator, value after value, as the mapper writes each. */
class JsonTextTest {

    record Point(int x, int y) {
    }

    private final JsonText json = new JsonText();

    private void assertWrittenAsTheMapperWrites(Object value) throws Exception {
        assertEquals(Json.MAPPER.writeValueAsString(value), json.of(value), String.valueOf(value));
    }

    @Test
    void valueAfterValueIsWrittenAloneAsTheMapperWritesIt() throws Exception {
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("nothing", null);
        List<Object> values = List.of("caf\u00e9 \"quoted\"\n", 3, 12345678901L, new BigDecimal("1.50"), 2.5, 1.5f, true,
                Map.of("training", List.of(1, 2.5, "three", false)), List.of(), Map.of(), withNull, "x".repeat(100_000), 7);
        for (Object value : values) {
            assertWrittenAsTheMapperWrites(value);
        }
    }

    @Test
    void aLoneSurrogateIsEscapedSoTheTextSurvivesUtf8() throws Exception {
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("lone high", "x\uD800y");
        plain.put("lone low at the end", "\uDC00");
        plain.put("\uDBFFkey", List.of("pair \uD83D\uDE00 kept", "\uD83D"));
        for (Object value : List.of(plain, Map.of("point", new Point(1, 2), "text", "\uDFFF\uD800"))) {
            String text = json.of(value);
            assertEquals(text, new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), "nothing lost to UTF-8");
            assertEquals(Json.MAPPER.convertValue(value, Object.class), Json.MAPPER.readValue(text, Object.class), "the same strings back");
        }
        assertEquals("{\"a\":\"x\\uD800y \uD83D\uDE00\"}", json.of(Map.of("a", "x\uD800y \uD83D\uDE00")));
    }

    @Test
    void aValueFoundNotPlainPartWayIsWrittenByTheMapperAndTheNextIsNotHurt() throws Exception {
        Map<String, Object> recordLast = new LinkedHashMap<>();
        recordLast.put("a", List.of(1, 2));
        recordLast.put("b", new Point(1, 2));
        assertWrittenAsTheMapperWrites(recordLast);
        assertWrittenAsTheMapperWrites(List.of(1, Map.of("deep", List.of(Double.NaN))));
        assertWrittenAsTheMapperWrites(Map.of(1, "an integer key"));
        assertWrittenAsTheMapperWrites(new Point(3, 4));
        assertWrittenAsTheMapperWrites(Map.of("after", "all is well"));
    }

    @Test
    void aValueThatBreaksWhileWrittenFailsAloneAndTheNextIsNotHurt() throws Exception {
        Map<String, Object> broken = new HashMap<>() {
            @Override
            public Set<Map.Entry<String, Object>> entrySet() {
                Iterator<Map.Entry<String, Object>> none = new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        throw new ConcurrentModificationException("changed while written");
                    }
                };
                return new java.util.AbstractSet<>() {
                    @Override
                    public Iterator<Map.Entry<String, Object>> iterator() {
                        return none;
                    }

                    @Override
                    public int size() {
                        return 1;
                    }
                };
            }
        };
        assertThrows(ConcurrentModificationException.class, () -> json.of(List.of("before", broken)));
        assertWrittenAsTheMapperWrites(Map.of("after", "all is well"));
    }
}
