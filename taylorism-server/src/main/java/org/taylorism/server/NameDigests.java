package org.taylorism.server;

import java.util.Arrays;

/**
 * The names of sets whose batches the server let go of, as 64-bit digests in an open-addressed table kept from a
 * quarter to half full: 16 to 32 bytes a name, where the names themselves cost about 100. A name is taken for used
 * when its digest is here: two different names share one with a chance of about one in 10^13 per name among a
 * million, so a new name is refused as a duplicate that seldom. Not thread-safe: the {@link BatchBook}'s, under its
 * lock.
 */
final class NameDigests {

    private static final long EMPTY = 0;
    private long[] slots = new long[1024];
    private int size;

    void add(String name) {
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        if (insert(slots, digest(name))) {
            size++;
        }
    }

    boolean contains(String name) {
        long digest = digest(name);
        int mask = slots.length - 1;
        for (int i = slot(digest, mask); slots[i] != EMPTY; i = (i + 1) & mask) {
            if (slots[i] == digest) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return size;
    }

    /** Puts {@code digest} in {@code table} unless it is there; false when it was. */
    private static boolean insert(long[] table, long digest) {
        int mask = table.length - 1;
        int i = slot(digest, mask);
        for (; table[i] != EMPTY; i = (i + 1) & mask) {
            if (table[i] == digest) {
                return false;
            }
        }
        table[i] = digest;
        return true;
    }

    private void grow() {
        long[] larger = new long[slots.length * 2];
        Arrays.stream(slots).filter(digest -> digest != EMPTY).forEach(digest -> insert(larger, digest));
        slots = larger;
    }

    private static int slot(long digest, int mask) {
        return (int) (digest ^ (digest >>> 32)) & mask;
    }

    /** FNV-1a over the name's UTF-16 units, then mixed (SplitMix64's finaliser); never {@link #EMPTY}. */
    static long digest(String name) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            hash ^= name.charAt(i);
            hash *= 0x100000001b3L;
        }
        hash ^= name.length();
        hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
        hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
        hash ^= hash >>> 31;
        return hash == EMPTY ? 1 : hash;
    }
}
