package org.taylorism.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flat name table behind the names a Boss remembers for every set. */
class CompactNamesTest {

    @Test
    void namesAreFoundAddedOnceKeptInOrderAndCarryTheirValueThroughGrowth() {
        CompactNames names = new CompactNames();
        List<String> added = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            // Names of every length, including the empty one and some that collide in String.hashCode ("Aa", "BB").
            String name = i % 1000 == 0 ? "Aa".repeat(i / 1000 % 5) + "BB".repeat(i / 1000 % 3) : "set-" + i + "é".repeat(i % 3);
            if (!names.contains(name)) {
                added.add(name);
            }
            int index = names.add(name);
            names.value(index, (byte) (i % 100));
        }
        assertEquals(added.size(), names.size());
        for (int index = 0; index < names.size(); index++) {
            assertEquals(added.get(index), names.name(index), "names keep the order they were first added in");
            assertEquals(index, names.indexOf(added.get(index)));
        }
        assertEquals(8, names.value(names.indexOf("set-8éé")));
        assertEquals(names.indexOf("set-12"), names.add("set-12"), "a name already there is not added again");
        assertFalse(names.contains("set-"));
        assertFalse(names.contains("set-50000"));
        assertTrue(names.contains(""));
        assertEquals(-1, names.indexOf("nobody"));
    }

    @Test
    void aNameBeyondLatin1WidensTheTableWithoutLosingWhatItHeld() {
        CompactNames names = new CompactNames();
        for (int i = 0; i < 3000; i++) {
            names.value(names.add("latin-\u00e9-" + i), (byte) (i % 7));
        }
        int wide = names.add("\u540d\u524d-\u6587\u5b57"); // beyond Latin-1: every name now takes two bytes a character
        names.value(wide, (byte) 42);
        for (int i = 3000; i < 6000; i++) {
            names.add("latin-\u00e9-" + i);
        }
        assertEquals(6001, names.size());
        assertEquals("latin-\u00e9-2999", names.name(2999));
        assertEquals(2999 % 7, names.value(names.indexOf("latin-\u00e9-2999")));
        assertEquals("\u540d\u524d-\u6587\u5b57", names.name(wide));
        assertEquals(42, names.value(names.indexOf("\u540d\u524d-\u6587\u5b57")));
        assertEquals(5999 + 1, names.indexOf("latin-\u00e9-5999"));
        assertFalse(names.contains("latin-\u00e9-6000"));
    }
}
