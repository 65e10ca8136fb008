package org.taylorism.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The compact read-only map that instruction sets and their values are held in: a {@code LinkedHashMap}'s behaviour. */
class CompactMapTest {

    /** A map of {@code size} entries, in an order no hash gives (keys counting down), with a null value among them. */
    private static Map<String, Object> linked(int size) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = size; i > 0; i--) {
            map.put("key" + i, i == 2 ? null : List.of(i));
        }
        return map;
    }

    @Test
    void behavesAsTheLinkedMapItCopies() {
        for (int size : new int[] {0, 1, 2, 8, 9, 10, 31, 32, 33, 200}) {
            Map<String, Object> linked = linked(size);
            Map<String, Object> compact = CompactMap.copyOf(linked);
            assertEquals(linked, compact, "size " + size);
            assertEquals(compact, linked, "size " + size);
            assertEquals(linked.hashCode(), compact.hashCode(), "size " + size);
            assertEquals(linked.toString(), compact.toString(), "size " + size);
            assertEquals(new ArrayList<>(linked.keySet()), new ArrayList<>(compact.keySet()), "order, size " + size);
            assertEquals(new ArrayList<>(linked.values()), new ArrayList<>(compact.values()), "order, size " + size);
            assertEquals(new ArrayList<>(linked.entrySet()), new ArrayList<>(compact.entrySet()), "order, size " + size);
            assertEquals(size, compact.size());
            assertEquals(size == 0, compact.isEmpty());
            for (String key : linked.keySet()) {
                assertTrue(compact.containsKey(key), key);
                assertTrue(compact.keySet().contains(key), key);
                assertEquals(linked.get(key), compact.get(key), key);
            }
            assertFalse(compact.containsKey("key0"));
            assertFalse(compact.containsKey(null));
            assertNull(compact.get("key" + (size + 1)));
            List<String> walked = new ArrayList<>();
            compact.forEach((key, value) -> walked.add(key + "=" + value));
            assertEquals(linked.entrySet().stream().map(Object::toString).toList(), walked);
        }
    }

    @Test
    void findsKeysWhoseHashesCollide() {
        Map<String, Object> linked = linked(10);
        for (String colliding : List.of("Aa", "BB", "AaAa", "AaBB", "BBAa", "BBBB")) {
            linked.put(colliding, colliding.toLowerCase());
        }
        Map<String, Object> compact = CompactMap.copyOf(linked);
        for (String key : linked.keySet()) {
            assertEquals(linked.get(key), compact.get(key), key);
        }
        assertFalse(compact.containsKey("AaAaAa"));
        assertFalse(compact.containsKey("BBBBBB"));
    }

    @Test
    void aNullKeyAndANullValueAreHeldAsAnyOther() {
        Map<String, Object> linked = new LinkedHashMap<>();
        linked.put("a", 1);
        linked.put(null, "for null");
        linked.put("none", null);
        Map<String, Object> compact = CompactMap.copyOf(linked);
        assertEquals("for null", compact.get(null));
        assertTrue(compact.containsKey("none"));
        assertNull(compact.get("none"));
        assertEquals(linked, compact);
    }

    @Test
    void cannotBeChangedEvenWhereAChangeWouldChangeNothing() {
        Map<String, Object> compact = CompactMap.copyOf(linked(3));
        Map<String, Object> empty = CompactMap.copyOf(Map.of());
        assertThrows(UnsupportedOperationException.class, () -> compact.put("key9", 9));
        assertThrows(UnsupportedOperationException.class, () -> compact.remove("key1"));
        assertThrows(UnsupportedOperationException.class, () -> compact.remove("absent"));
        assertThrows(UnsupportedOperationException.class, () -> compact.remove("key1", List.of(1)));
        assertThrows(UnsupportedOperationException.class, compact::clear);
        assertThrows(UnsupportedOperationException.class, empty::clear);
        assertThrows(UnsupportedOperationException.class, () -> empty.putAll(Map.of()));
        assertThrows(UnsupportedOperationException.class, () -> compact.putIfAbsent("key1", 0));
        assertThrows(UnsupportedOperationException.class, () -> compact.computeIfAbsent("key1", key -> 0));
        assertThrows(UnsupportedOperationException.class, () -> compact.computeIfPresent("absent", (key, value) -> 0));
        assertThrows(UnsupportedOperationException.class, () -> compact.compute("key1", (key, value) -> value));
        assertThrows(UnsupportedOperationException.class, () -> compact.merge("key1", 0, (old, given) -> old));
        assertThrows(UnsupportedOperationException.class, () -> compact.replace("absent", 0));
        assertThrows(UnsupportedOperationException.class, () -> compact.replace("key1", 0, 1));
        assertThrows(UnsupportedOperationException.class, () -> empty.replaceAll((key, value) -> value));
        assertThrows(UnsupportedOperationException.class, () -> compact.keySet().remove("absent"));
        assertThrows(UnsupportedOperationException.class, () -> compact.values().removeIf(value -> false));
        assertThrows(UnsupportedOperationException.class, () -> compact.entrySet().retainAll(List.of()));
        assertThrows(UnsupportedOperationException.class, () -> empty.keySet().clear());
        assertThrows(UnsupportedOperationException.class, () -> compact.entrySet().iterator().next().setValue(0));
        Iterator<String> keys = compact.keySet().iterator();
        keys.next();
        assertThrows(UnsupportedOperationException.class, keys::remove);
        assertThrows(UnsupportedOperationException.class, () -> compact.values().clear());
    }

    @Test
    void aMapThatGivesMoreOrFewerEntriesThanItsSizeIsCopiedAsItGaveThem() {
        for (int given : new int[] {1, 3, 30}) {
            Map<String, Object> lying = new AbstractMap<>() {
                @Override
                public Set<Entry<String, Object>> entrySet() {
                    return linked(given).entrySet();
                }

                @Override
                public int size() {
                    return 2; // as a map another thread changes while it is copied may say
                }
            };
            assertEquals(linked(given), CompactMap.copyOf(lying), "given " + given);
        }
    }

    @Test
    void itsIteratorsEndAsIteratorsDo() {
        Iterator<Object> values = CompactMap.copyOf(linked(1)).values().iterator();
        assertEquals(List.of(1), values.next());
        assertFalse(values.hasNext());
        assertThrows(NoSuchElementException.class, values::next);
    }

    @Test
    void copiesWithValuesMappedOrOneValueReplacedOrAdded() {
        Map<String, Object> compact = CompactMap.copyOf(linked(12), value -> value == null ? "was null" : value.toString());
        assertEquals("[12]", compact.get("key12"));
        assertEquals("was null", compact.get("key2"));

        Map<String, Object> replaced = CompactMap.with(compact, "key7", "seven");
        assertEquals("seven", replaced.get("key7"));
        assertEquals("[7]", compact.get("key7"), "the copy changed, not the map");
        assertEquals(new ArrayList<>(compact.keySet()), new ArrayList<>(replaced.keySet()), "a replaced key keeps its place");

        Map<String, Object> added = CompactMap.with(linked(2), "name", "last");
        assertEquals(List.of("key2", "key1", "name"), new ArrayList<>(added.keySet()));
        assertEquals("last", added.get("name"));
    }

    @Test
    void takesItsEntriesAsGivenOrRefusesThem() {
        Map<String, Object> map = CompactMap.ofEntries(new Object[] {"b", 2, "a", 1});
        assertEquals(List.of("b", "a"), new ArrayList<>(map.keySet()));
        assertSame(map, CompactMap.copyOf(map), "a compact map is not copied again");
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> CompactMap.ofEntries(new Object[] {"a", 1, "b", 2, "a", 3}));
        assertEquals("the key a is given twice", twice.getMessage());
        Object[] many = new Object[40];
        for (int i = 0; i < 20; i++) {
            many[2 * i] = "k" + (i % 19);
            many[2 * i + 1] = i;
        }
        assertThrows(IllegalArgumentException.class, () -> CompactMap.ofEntries(many), "indexed: k0 twice");
        assertThrows(IllegalArgumentException.class, () -> CompactMap.ofEntries(new Object[] {"odd"}));
    }
}
