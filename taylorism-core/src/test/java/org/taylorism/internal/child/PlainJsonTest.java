package org.taylorism.internal.child;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.internal.Json;
import org.taylorism.internal.PlainJson;

/** The databind-free JSON of fresh worker JVMs: what it reads, what it writes, and what it leaves to the mapper. */
class PlainJsonTest {

    @TempDir
    Path directory;

    @Test
    void readsWhatTheMapperReadsAndWritesWhatTheMapperWrites() throws IOException {
        String text = "{\"s\":\"caf\\u00e9\",\"i\":3,\"l\":12345678901,\"b\":123456789012345678901234567890,"
                + "\"d\":2.5,\"t\":true,\"f\":false,\"n\":null,\"a\":[1,[],{}],\"o\":{\"x\":\"y\"},"
                // Each integer as the smallest of Integer, Long and BigInteger, at the edges of each.
                + "\"edges\":[0,-0,999999999,-999999999,2147483647,2147483648,-2147483648,-2147483649,1000000000,"
                + "999999999999999999,9223372036854775807,9223372036854775808,-9223372036854775808,-9223372036854775809,"
                + "1e300,-0.0,1.5E-7,4.9e-324,0.1]}";
        Path file = directory.resolve("value.json");
        Files.writeString(file, text);

        Object plain = PlainJson.read(file);
        Object mapped = Json.MAPPER.readValue(text, Object.class);
        assertEquals(mapped, plain);
        assertEquals(BigInteger.class, ((Map<?, ?>) plain).get("b").getClass());
        assertTrue(PlainJson.isPlain(plain));
        assertEquals(Json.MAPPER.writeValueAsString(mapped), new String(PlainJson.write(plain), StandardCharsets.UTF_8));
    }

    @Test
    void leavesToTheMapperWhatIsNotPlain() {
        record Point(int x, int y) {
        }
        assertFalse(PlainJson.isPlain(new Point(1, 2)));
        assertFalse(PlainJson.isPlain(List.of(1, new Point(1, 2))));
        assertFalse(PlainJson.isPlain(Map.of(1, "integer key")));
        assertFalse(PlainJson.isPlain(Double.NaN));
        assertFalse(PlainJson.isPlain(new int[] {1, 2}));
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("nothing", null);
        withNull.put("list", Arrays.asList(1, null));
        assertTrue(PlainJson.isPlain(withNull));
    }

    @Test
    void aBrokenFileIsAnErrorThatSaysWhere() throws IOException {
        Path twoValues = directory.resolve("two.json");
        Files.writeString(twoValues, "{} {}");
        IOException error = assertThrows(IOException.class, () -> PlainJson.read(twoValues));
        assertTrue(error.getMessage().contains("more than one JSON value in " + twoValues), error.getMessage());

        Path cut = directory.resolve("cut.json");
        Files.writeString(cut, "{\"a\": [1, 2");
        assertThrows(IOException.class, () -> PlainJson.read(cut));
    }

    @Test
    void aTaskFileWithAMistypedFieldNamesIt() throws IOException {
        Path file = directory.resolve("task.json");
        Files.writeString(file, "{\"workerClass\":\"x.Y\",\"name\":\"n\",\"ticket\":\"one\",\"values\":{},\"resultFile\":\"r\"}");
        IOException error = assertThrows(IOException.class, () -> TaskFile.read(file));
        assertEquals("its \"ticket\" is not of type Integer: one", error.getMessage());

        Files.writeString(file, "{\"workerClass\":\"x.Y\",\"name\":\"n\",\"ticket\":1,\"values\":{\"a\":1},\"resultFile\":\"r\",\"watchStdin\":true}");
        TaskFile task = TaskFile.read(file);
        assertEquals(new TaskFile("x.Y", "n", 1, Map.of("a", 1), "r", true, null), task);

        Files.writeString(file, "{\"workerClass\":\"x.Y\",\"name\":\"n\",\"ticket\":1,\"values\":{\"a\":1},\"resultFile\":\"r\","
                + "\"fields\":{\"a\":\"x.Y#a\"}}");
        assertEquals(Map.of("a", "x.Y#a"), TaskFile.read(file).fields());
        Files.writeString(file, "{\"workerClass\":\"x.Y\",\"name\":\"n\",\"ticket\":1,\"values\":{\"a\":1},\"resultFile\":\"r\","
                + "\"fields\":{\"a\":7}}");
        error = assertThrows(IOException.class, () -> TaskFile.read(file));
        assertEquals("its \"fields\" is not an object of strings: {a=7}", error.getMessage());
    }
}
