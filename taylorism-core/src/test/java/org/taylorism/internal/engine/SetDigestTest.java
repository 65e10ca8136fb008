package org.taylorism.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.taylorism.Attribute;
import org.taylorism.Worker;
import org.taylorism.WorkerRegistry;
import org.taylorism.internal.Json;
import org.taylorism.internal.ValueConverter;

/**
 * A set's digest is its key in a run store: a resumed run finds the sets it ran by it, so the digest of a set must
 * not change from one taylorism to the next. The expected values were computed by the first release's digest.
 */
class SetDigestTest {

    /** A worker with an attribute of each kind a digest meets. */
    public static class Shaped extends Worker {
        @Attribute
        public String label;
        @Attribute(optional = true)
        public List<Integer> numbers;
        @Attribute(optional = true)
        public Object payload;
        @Attribute(optional = true)
        public Path file;

        @Override
        protected Object task() {
            return null;
        }
    }

    private final WorkerRegistry registry = WorkerRegistry.builder().register(Shaped.class).build();

    private static Map<String, Object> set(Object... keysAndValues) {
        Map<String, Object> set = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            set.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return set;
    }

    /**
     * Plain sets, sets with values that only the databind mapper writes, and a set bigger than a generator's buffer; the
     * objects nested in them have their keys in order, which the first release's digest took as they came.
     */
    private static List<Map<String, Object>> sets() {
        return List.of(
                set("label", "a"),
                set("label", "b", "name", "x1", "numbers", List.of(3, "2", 1), "extra", set("j", null, "k", List.of(true, 1.5))),
                set("payload", set("a", "é\u0000\"\\", "emoji", "\uD83D\uDE00", "z", List.of(set("k", 1))), "label", "c", "file", "/tmp/f"),
                set("label", "d", "zz_not_plain", Path.of("/tmp/not plain")),
                set("label", "e"),
                set("label", "x".repeat(20_000), "zz_not_plain", Path.of("/tmp/after a big value")),
                set("label", "e"),
                set("label", "y".repeat(20_000), "numbers", List.of(1)),
                set("label", "f"),
                set("label", "z".repeat(70_000)),
                set("label", "f"));
    }

    /**
     * The first release's digests of {@link #sets}: their keys in a store it wrote. Those of sets 1 and 4 to 8 were
     * computed by the first release's own code; the others by its copy below, which gives those five alike.
     */
    private static final List<String> EXPECTED = List.of("5e47ff5a07863cbf", "1ed42e81f5e84e29", "8a31640acf63d591", "080f81aaae43b9a1",
            "2bdbdd780689ba8f", "d085b369ed4f5833", "2bdbdd780689ba8f", "c9acc75284183f3d", "3e0fbc7bb8c43e6d", "9944bc33d9daec1b",
            "3e0fbc7bb8c43e6d");

    /**
     * The first release's digest, as it was written: a digest instance and a JSON generator made for each set, and the
     * keys of nested objects as they came.
     */
    private static String firstReleasesDigest(WorkerRegistry.Match match, Map<String, Object> instructions) throws Exception {
        Map<String, Object> resolved = new TreeMap<>();
        match.values().forEach((key, value) -> resolved.put(key, ValueConverter.toJsonValue(value)));
        for (String key : match.unknownKeys()) {
            resolved.put(key, instructions.get(key));
        }
        if (!instructions.containsKey("name")) {
            resolved.remove("name");
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(match.type().name().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
        sha.update(Json.writePlain(resolved));
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    @Test
    void digestsAreTheFirstReleasesWhateverCameBefore() throws Exception {
        List<String> first = new ArrayList<>();
        for (Map<String, Object> set : sets()) {
            first.add(firstReleasesDigest(registry.match(set), set));
        }
        assertEquals(EXPECTED, first, "the first release's digest, as this test has it");
        SetDigest digest = new SetDigest();
        List<String> digests = new ArrayList<>();
        for (Map<String, Object> set : sets()) {
            digests.add(digest.of(registry.match(set), set));
        }
        assertEquals(EXPECTED, digests);
        // A set that went through the databind mapper leaves nothing behind for the next: alone, each is the same.
        for (int i = 0; i < sets().size(); i++) {
            Map<String, Object> set = sets().get(i);
            assertEquals(EXPECTED.get(i), new SetDigest().of(registry.match(set), set), "set #" + (i + 1) + " alone");
        }
    }

    @Test
    void theKeysOfANestedObjectDigestAlikeInAnyOrder() {
        Map<String, Object> inOrder = set("label", "a", "payload", List.of(set("x", 1, "y", set("p", true, "q", false))),
                "extra", set("b", 2, "c", 3));
        Map<String, Object> reordered = set("extra", set("c", 3, "b", 2), "label", "a",
                "payload", List.of(set("y", set("q", false, "p", true), "x", 1)));
        Map<String, Object> otherValue = set("label", "a", "payload", List.of(set("x", 1, "y", set("p", true, "q", true))),
                "extra", set("b", 2, "c", 3));
        SetDigest digest = new SetDigest();
        String expected = digest.of(registry.match(inOrder), inOrder);
        assertEquals(expected, digest.of(registry.match(reordered), reordered));
        assertNotEquals(expected, digest.of(registry.match(otherValue), otherValue));
    }

    @Test
    void aSetTooDeepToWriteIsRefusedAndLeavesNothingBehindForTheNext() {
        Map<String, Object> deep = set("label", "a");
        Map<String, Object> inner = deep;
        for (int depth = 0; depth < 1_100; depth++) {
            Map<String, Object> next = set("k", null);
            inner.put("payload", next);
            inner = next;
        }
        SetDigest digest = new SetDigest();
        Map<String, Object> tooDeep = deep;
        assertThrows(UncheckedIOException.class, () -> digest.of(registry.match(tooDeep), tooDeep));
        Map<String, Object> first = sets().get(0);
        assertEquals(EXPECTED.get(0), digest.of(registry.match(first), first));
    }
}
