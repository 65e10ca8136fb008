package org.taylorism.internal.engine;

/**
 * How many times each 64-bit key was counted, in two flat arrays (open addressing, linear probing): a run of a
 * million sets counts a million set digests, which a {@code HashMap<String, Integer>} would keep at about a hundred
 * bytes each, and this at about twenty. Not thread-safe.
 */
final class LongCounts {

    private static final int EMPTY = 0;

    private long[] keys = new long[64];
    /** The count of the key in the same slot; 0 marks an empty slot (counts start at 1). */
    private int[] counts = new int[64];
    private int size;

    /** Counts {@code key} once more, and returns its count, from 1. */
    int increment(long key) {
        int slot = slotOf(key, keys, counts);
        if (counts[slot] == EMPTY) {
            if (2 * (size + 1) > keys.length) {
                grow();
                slot = slotOf(key, keys, counts);
            }
            keys[slot] = key;
            size++;
        }
        return ++counts[slot];
    }

    private static int slotOf(long key, long[] keys, int[] counts) {
        int mask = keys.length - 1;
        int slot = Long.hashCode(key * 0x9E3779B97F4A7C15L) & mask;
        while (counts[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldCounts[i] != EMPTY) {
                int slot = slotOf(oldKeys[i], keys, counts);
                keys[slot] = oldKeys[i];
                counts[slot] = oldCounts[i];
            }
        }
    }

    int size() {
        return size;
    }
}
