package org.taylorism.internal.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Names, each with a one-byte value, in flat arrays (the characters end to end, and an open-addressing table of
 * indexes): a run of a million sets remembers every name (what an {@code after} may name, and how it ended) at about
 * twenty bytes plus its length each, where a {@code HashMap<String, ...>} takes a hundred or more. While every name
 * is Latin-1 (as most are), a character takes one byte; the first name beyond it widens them all to two. Names keep
 * the order they were first added in. Not thread-safe.
 */
final class CompactNames {

    /** The characters while every name is Latin-1; null once one is not. */
    private byte[] narrow = new byte[1024];
    /** The characters once a name is not Latin-1; null before. */
    private char[] wide;
    private int length;
    /** Where each name ends in the characters; it starts where the one before it ends. */
    private int[] ends = new int[64];
    private byte[] values = new byte[64];
    private int size;
    /** Index + 1 of the name in each slot; 0 for an empty slot. */
    private int[] table = new int[128];

    /** Adds {@code name} when it is not there yet (its value 0); returns its index. */
    int add(String name) {
        int slot = slotOf(name);
        if (table[slot] != 0) {
            return table[slot] - 1;
        }
        if (2 * (size + 1) > table.length) {
            grow();
            slot = slotOf(name);
        }
        if (size == ends.length) {
            ends = Arrays.copyOf(ends, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        if (narrow != null && !latin1(name)) {
            widen();
        }
        int capacity = narrow != null ? narrow.length : wide.length;
        if (length + name.length() > capacity) {
            capacity = Math.max(capacity * 2, length + name.length());
            if (narrow != null) {
                narrow = Arrays.copyOf(narrow, capacity);
            } else {
                wide = Arrays.copyOf(wide, capacity);
            }
        }
        for (int i = 0; i < name.length(); i++) {
            if (narrow != null) {
                narrow[length + i] = (byte) name.charAt(i);
            } else {
                wide[length + i] = name.charAt(i);
            }
        }
        length += name.length();
        ends[size] = length;
        table[slot] = ++size;
        return size - 1;
    }

    /** The index of {@code name}, or -1 when it was never added. */
    int indexOf(String name) {
        return table[slotOf(name)] - 1;
    }

    boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    int size() {
        return size;
    }

    /** The name at {@code index}, as a new string. */
    String name(int index) {
        int start = index == 0 ? 0 : ends[index - 1];
        return narrow != null ? new String(narrow, start, ends[index] - start, StandardCharsets.ISO_8859_1)
                : new String(wide, start, ends[index] - start);
    }

    byte value(int index) {
        return values[index];
    }

    void value(int index, byte value) {
        values[index] = value;
    }

    /** The slot that holds {@code name}, or the empty one where it would go. */
    private int slotOf(String name) {
        int mask = table.length - 1;
        int hash = name.hashCode();
        int slot = (hash ^ (hash >>> 16)) & mask;
        while (table[slot] != 0 && !sameName(table[slot] - 1, name)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private boolean sameName(int index, String name) {
        int start = index == 0 ? 0 : ends[index - 1];
        if (ends[index] - start != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (charAt(start + i) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private char charAt(int position) {
        return narrow != null ? (char) (narrow[position] & 0xFF) : wide[position];
    }

    private static boolean latin1(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    private void widen() {
        wide = new char[narrow.length];
        for (int i = 0; i < length; i++) {
            wide[i] = (char) (narrow[i] & 0xFF);
        }
        narrow = null;
    }

    private void grow() {
        table = new int[table.length * 2];
        int mask = table.length - 1;
        for (int index = 0; index < size; index++) {
            int start = index == 0 ? 0 : ends[index - 1];
            int hash = 0;
            for (int i = start; i < ends[index]; i++) {
                hash = 31 * hash + charAt(i); // String.hashCode's own
            }
            int slot = (hash ^ (hash >>> 16)) & mask;
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = index + 1;
        }
    }
}
