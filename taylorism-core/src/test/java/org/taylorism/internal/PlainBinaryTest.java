package org.taylorism.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The warm pool's binary frames read back what JSON would, and bytes that are not one fail by name, never otherwise. */
class PlainBinaryTest {

    private static Map<String, Object> everyKind() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("z-first", "order kept");
        values.put("text", "l\u00e9ft \"quoted\" \\ \n\t\u0001 \u4e2d \ud83d\ude00");
        values.put("empty", "");
        values.put("none", null);
        values.put("yes", true);
        values.put("no", false);
        values.put("ints", List.of(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, (short) 7, (byte) -8));
        values.put("longs", List.of(5L, (long) Integer.MAX_VALUE + 1, Long.MIN_VALUE, Long.MAX_VALUE));
        values.put("bigs", List.of(BigInteger.valueOf(5), BigInteger.TWO.pow(70), BigInteger.TWO.pow(70).negate(),
                BigInteger.valueOf(Long.MIN_VALUE)));
        values.put("doubles", List.of(0.1, -0.0, 1e300, -2.5e-300, 3.0));
        values.put("floats", List.of(0.1f, 1e20f));
        values.put("decimals", List.of(new BigDecimal("1.50"), new BigDecimal("10"), new BigDecimal("1E+3"),
                new BigDecimal("123456789012345678901234567890")));
        List<Object> withNull = new ArrayList<>();
        withNull.add(null);
        withNull.add(List.of());
        withNull.add(Map.of());
        values.put("nested", List.of(Map.of("a", List.of(List.of(1, "two"))), withNull));
        return values;
    }

    @Test
    void aValueReadBackIsTheValueJsonReadsBack() throws IOException {
        Map<String, Object> values = everyKind();
        Object viaJson = PlainJson.read(PlainJson.write(values), "json");
        Object viaBinary = PlainBinary.read(PlainBinary.write(values), "binary");
        assertEquals(viaJson, viaBinary);
        assertEquals(List.copyOf(values.keySet()), List.copyOf(((Map<?, ?>) viaBinary).keySet()), "the order of the keys");
        // Types too, not only equal values: an Integer and a Long that hold 5 are not equal.
        assertEquals(types(viaJson), types(viaBinary));
    }

    @Test
    void aMapWrittenEntryByEntryIsTheMapWrittenWhole() throws IOException {
        Map<String, Object> values = everyKind();
        PlainBinary.MapWriter writer = new PlainBinary.MapWriter();
        // One writer, map after map: each read back alone, whatever was written before it, a big one included.
        for (int round = 0; round < 3; round++) {
            Map<String, Object> map = new LinkedHashMap<>(values);
            map.put("round", round);
            if (round == 1) {
                map.put("big", "x".repeat(200_000));
            }
            writer.begin(map.size());
            map.forEach(writer::put);
            byte[] entryByEntry = writer.bytes();
            assertTrue(Arrays.equals(PlainBinary.write(map), entryByEntry), "round " + round);
            assertEquals(PlainBinary.read(PlainBinary.write(map), "whole"), PlainBinary.read(entryByEntry, "entry by entry"));
        }
        writer.begin(2).put("only", 1);
        assertThrows(IllegalStateException.class, writer::bytes, "a map with fewer entries than announced");
        assertThrows(IllegalArgumentException.class, () -> writer.begin(1).put("thread", Thread.currentThread()));
    }

    private static String types(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder types = new StringBuilder("{");
            map.forEach((key, item) -> types.append(key).append('=').append(types(item)).append(','));
            return types.append('}').toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(PlainBinaryTest::types).toList().toString();
        }
        return value == null ? "null" : value.getClass().getSimpleName();
    }

    @Test
    void framesReadOneAfterAnotherThroughOneReaderAreEachReadAlone() throws IOException {
        Map<String, Object> big = new LinkedHashMap<>();
        big.put("big", "x".repeat(100_000));
        byte[] whole = PlainBinary.write(everyKind());
        List<byte[]> frames = List.of(whole, PlainBinary.write(big), PlainBinary.write(Map.of("\u00e9t\u00e9", 1, "ab", 2)),
                PlainBinary.write(Map.of("ab", List.of(Map.of("ab", 3)))), "{\"json\": [1, 2.5]}".getBytes(StandardCharsets.UTF_8),
                PlainBinary.write(everyKind()), PlainBinary.write(List.of("ab", Map.of("k" + "y".repeat(70), 4))));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            stream.write(frame);
        }
        stream.write(whole, 0, whole.length - 3);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(stream.toByteArray()));
        PlainBinary.FrameReader reader = new PlainBinary.FrameReader();
        List<Object> read = new ArrayList<>();
        for (byte[] frame : frames) {
            Object value = reader.read(in, frame.length, "pooled JVM 7");
            Object alone = PlainBinary.isBinary(frame) ? PlainBinary.read(frame, "alone") : PlainJson.read(frame, "alone");
            assertEquals(alone, value);
            read.add(value);
        }
        assertSame(firstKey(read.get(2), "ab"), firstKey(read.get(3), "ab"), "a key read lately is given again");
        assertSame(firstKey(read.get(0), "z-first"), firstKey(read.get(5), "z-first"), "after a big frame too");
        // Cut short after longer frames: it ends where it ends, not in the bytes the buffer still holds.
        IOException cut = assertThrows(IOException.class, () -> reader.read(in, whole.length - 3, "pooled JVM 7"));
        IOException cutAlone = assertThrows(IOException.class, () -> PlainBinary.read(Arrays.copyOf(whole, whole.length - 3), "pooled JVM 7"));
        assertEquals(cutAlone.getMessage(), cut.getMessage());
    }

    @Test
    void aKeptKeyIsGivenOnlyForTheSameBytes() throws IOException {
        // "Aa", "BB" and "\u00bd" land in the same slot; "\u00e9" is two bytes of UTF-8, a lone 0xE9 is not UTF-8 at all.
        List<byte[]> keys = List.of(ascii("Aa"), ascii("BB"), ascii("Aa"), "\u00e9".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xe9}, "\u00bd".getBytes(StandardCharsets.UTF_8), ascii("Aa"));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] key : keys) {
            stream.write(frameWithKey(key));
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(stream.toByteArray()));
        PlainBinary.FrameReader reader = new PlainBinary.FrameReader();
        List<Object> read = new ArrayList<>();
        for (byte[] key : keys) {
            Map<?, ?> map = (Map<?, ?>) reader.read(in, frameWithKey(key).length, "pooled JVM 7");
            assertEquals(Map.of(new String(key, StandardCharsets.UTF_8), 5), map);
            read.add(map.keySet().iterator().next());
        }
        assertSame(read.get(2), read.get(6), "a key kept, and given again: the key between, not ASCII, did not take its slot");
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A frame holding a map of one key, given as its bytes, and the integer 5. */
    private static byte[] frameWithKey(byte[] key) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(PlainBinary.MARK);
        frame.write(9); // a map
        frame.writeBytes(new byte[] {0, 0, 0, 1});
        frame.writeBytes(new byte[] {0, 0, 0, (byte) key.length});
        frame.writeBytes(key);
        frame.write(3); // an int
        frame.writeBytes(new byte[] {0, 0, 0, 5});
        return frame.toByteArray();
    }

    private static Object firstKey(Object map, String key) {
        return ((Map<?, ?>) map).keySet().stream().filter(key::equals).findFirst().orElseThrow();
    }

    @Test
    void itIsToldApartFromJsonByItsFirstByte() throws IOException {
        assertTrue(PlainBinary.isBinary(PlainBinary.write(Map.of("a", 1))));
        for (String json : List.of("{}", " {}", "[1]", "\"s\"", "-1", "7", "true", "null")) {
            assertEquals(false, PlainBinary.isBinary(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), json);
        }
    }

    @Test
    void everyCutShortFrameFailsByName() throws IOException {
        byte[] whole = PlainBinary.write(everyKind());
        for (int length = 0; length < whole.length; length++) {
            byte[] part = Arrays.copyOf(whole, length);
            IOException failure = assertThrows(IOException.class, () -> PlainBinary.read(part, "pooled JVM 42"), "cut at " + length);
            assertTrue(failure.getMessage().startsWith("pooled JVM 42 is not a valid binary frame"), failure.getMessage());
        }
    }

    @Test
    void bytesAfterTheValueAnUnknownTypeAHugeCountAndTooDeepANestingAreRefused() {
        byte[] one = PlainBinary.write(1);
        byte[] trailing = Arrays.copyOf(one, one.length + 1);
        assertTrue(message(trailing).contains("1 bytes after the value"), message(trailing));
        assertTrue(message(new byte[] {PlainBinary.MARK, 42}).contains("unknown type 42"));
        // A list that says it holds 2^31 - 1 items, in a frame of 6 bytes: no allocation, a refusal.
        assertTrue(message(new byte[] {PlainBinary.MARK, 8, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}).contains("a count of 2147483647"));
        byte[] deep = new byte[2 + 5 * 1100];
        deep[0] = PlainBinary.MARK;
        for (int i = 0; i < 1100; i++) {
            deep[1 + 5 * i] = 8; // a list of one item
            deep[5 + 5 * i] = 1;
        }
        assertTrue(message(deep).contains("nested deeper than 1000"), message(deep));
    }

    @Test
    void randomBytesFailAsIoExceptionsOrReadAsValuesNeverOtherwise() {
        Random random = new Random(20261206);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(40)];
            random.nextBytes(bytes);
            bytes[0] = PlainBinary.MARK;
            try {
                PlainBinary.read(bytes, "random");
            } catch (IOException expected) {
                assertTrue(expected.getMessage().startsWith("random is not a valid binary frame"), expected.getMessage());
            }
        }
    }

    @Test
    void whatIsNotPlainIsNotWritten() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> PlainBinary.write(Map.of("when", java.time.Instant.EPOCH)));
        assertTrue(failure.getMessage().contains("java.time.Instant"), failure.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PlainBinary.write(List.of(Double.NaN)));
    }

    private static String message(byte[] bytes) {
        return assertThrows(IOException.class, () -> PlainBinary.read(bytes, "test")).getMessage();
    }
}
