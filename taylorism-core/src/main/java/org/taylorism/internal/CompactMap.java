package org.taylorism.internal;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An unmodifiable map that keeps the order its entries were given in, its keys and values side by side in one array.
 * Null keys and values are allowed, as a {@code LinkedHashMap} allows them.
 *
 * <p>Why: a Boss holds one instruction set, and its values, per task it has not forgotten, hundreds of thousands of
 * them; a {@code LinkedHashMap} of a few entries, wrapped read-only, and its views once asked for, costs three to five
 * times the entries' own references. Small maps are searched from the start (as fast as hashing at a few entries);
 * from {@value #INDEXED_FROM} entries on, an open-addressing table of positions finds a key. Views are made at each
 * call, not kept: a map held for long should not grow by being read.
 */
public final class CompactMap<K, V> extends AbstractMap<K, V> {

    private static final int INDEXED_FROM = 9;
    private static final CompactMap<?, ?> EMPTY = new CompactMap<>(new Object[0]);

    /** Key at {@code 2i}, its value at {@code 2i + 1}. */
    private final Object[] keysAndValues;
    /** Each slot the position (from 1) of a key whose hash led there, 0 for none; null for a small map. */
    private final int[] index;

    private CompactMap(Object[] keysAndValues) {
        this.keysAndValues = keysAndValues;
        this.index = keysAndValues.length / 2 >= INDEXED_FROM ? indexOf(keysAndValues) : null;
    }

    /** {@code map}'s entries, in its order. */
    public static <K, V> Map<K, V> copyOf(Map<? extends K, ? extends V> map) {
        return map instanceof CompactMap<?, ?> ? cast(map) : copyOf(map, Function.identity());
    }

    /**
     * {@code map}'s keys, in its order, each with its value passed through {@code mapping}. A map another thread changes
     * meanwhile gives what its {@code forEach} gave.
     */
    public static <K, V, W> Map<K, W> copyOf(Map<? extends K, ? extends V> map, Function<? super V, ? extends W> mapping) {
        if (map.isEmpty()) {
            return cast(EMPTY);
        }
        Object[][] entries = {new Object[map.size() * 2]};
        int[] end = {0};
        map.forEach((key, value) -> {
            if (end[0] == entries[0].length) {
                entries[0] = Arrays.copyOf(entries[0], entries[0].length * 2 + 2);
            }
            entries[0][end[0]++] = key;
            entries[0][end[0]++] = mapping.apply(value);
        });
        return new CompactMap<>(end[0] == entries[0].length ? entries[0] : Arrays.copyOf(entries[0], end[0]));
    }

    /** {@code map}'s entries, with {@code key}'s value replaced by {@code value}, or added last when it has none. */
    public static <K, V> Map<K, V> with(Map<? extends K, ? extends V> map, K key, V value) {
        CompactMap<K, V> compact = map instanceof CompactMap<?, ?> ? cast(map) : cast(copyOf(map));
        int position = compact.find(key);
        Object[] entries;
        if (position >= 0) {
            entries = compact.keysAndValues.clone();
        } else {
            entries = Arrays.copyOf(compact.keysAndValues, compact.keysAndValues.length + 2);
            position = compact.keysAndValues.length;
            entries[position] = key;
        }
        entries[position + 1] = value;
        return new CompactMap<>(entries);
    }

    /**
     * A map of {@code keysAndValues}: a key at each even position, its value after it; the array is the map's own from
     * then on, and must not be changed.
     *
     * @throws IllegalArgumentException for an odd length, or a key given twice
     */
    public static <K, V> Map<K, V> ofEntries(Object[] keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values of odd length " + keysAndValues.length);
        }
        CompactMap<K, V> map = new CompactMap<>(keysAndValues);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (map.find(keysAndValues[i]) != i) {
                throw new IllegalArgumentException("the key " + keysAndValues[i] + " is given twice");
            }
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object map) {
        return (T) map;
    }

    private static int[] indexOf(Object[] keysAndValues) {
        int[] slots = new int[Integer.highestOneBit(keysAndValues.length - 1) * 2]; // at least twice the entries
        for (int i = 0; i < keysAndValues.length; i += 2) {
            int slot = spread(keysAndValues[i]) & (slots.length - 1);
            while (slots[slot] != 0) {
                slot = (slot + 1) & (slots.length - 1);
            }
            slots[slot] = i / 2 + 1;
        }
        return slots;
    }

    private static int spread(Object key) {
        int hash = Objects.hashCode(key);
        return hash ^ (hash >>> 16);
    }

    /** The position of {@code key} in {@link #keysAndValues}, or -1. */
    private int find(Object key) {
        if (index == null) {
            for (int i = 0; i < keysAndValues.length; i += 2) {
                if (Objects.equals(key, keysAndValues[i])) {
                    return i;
                }
            }
            return -1;
        }
        int slot = spread(key) & (index.length - 1);
        while (index[slot] != 0) {
            int position = (index[slot] - 1) * 2;
            if (Objects.equals(key, keysAndValues[position])) {
                return position;
            }
            slot = (slot + 1) & (index.length - 1);
        }
        return -1;
    }

    /** Every change is refused, as a read-only view refuses it, whether or not it would change anything. */
    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("a read-only map (an instruction set, or its values) cannot be changed");
    }

    @Override
    public V put(K key, V value) {
        throw readOnly();
    }

    @Override
    public V remove(Object key) {
        throw readOnly();
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> map) {
        throw readOnly();
    }

    @Override
    public void clear() {
        throw readOnly();
    }

    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        throw readOnly();
    }

    @Override
    public V putIfAbsent(K key, V value) {
        throw readOnly();
    }

    @Override
    public boolean remove(Object key, Object value) {
        throw readOnly();
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        throw readOnly();
    }

    @Override
    public V replace(K key, V value) {
        throw readOnly();
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> function) {
        throw readOnly();
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> function) {
        throw readOnly();
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> function) {
        throw readOnly();
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> function) {
        throw readOnly();
    }

    @Override
    public int size() {
        return keysAndValues.length / 2;
    }

    @Override
    public boolean isEmpty() {
        return keysAndValues.length == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return find(key) >= 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int position = find(key);
        return position < 0 ? null : (V) keysAndValues[position + 1];
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        for (int i = 0; i < keysAndValues.length; i += 2) {
            action.accept((K) keysAndValues[i], (V) keysAndValues[i + 1]);
        }
    }

    // The views are wrapped read-only: their own removals that find nothing to remove would not throw.
    @Override
    public Set<Entry<K, V>> entrySet() {
        return Collections.unmodifiableSet(new PartSet<>(Part.ENTRIES));
    }

    @Override
    public Set<K> keySet() {
        return Collections.unmodifiableSet(new PartSet<>(Part.KEYS));
    }

    @Override
    public Collection<V> values() {
        return Collections.unmodifiableCollection(new AbstractCollection<>() {
            @Override
            public Iterator<V> iterator() {
                return new Walk<>(keysAndValues, Part.VALUES);
            }

            @Override
            public int size() {
                return CompactMap.this.size();
            }
        });
    }

    /** The keys or the entries: a set over the map's array (the values may repeat, and are no set). */
    private final class PartSet<T> extends AbstractSet<T> {
        private final Part part;

        PartSet(Part part) {
            this.part = part;
        }

        @Override
        public Iterator<T> iterator() {
            return new Walk<>(keysAndValues, part);
        }

        @Override
        public int size() {
            return CompactMap.this.size();
        }

        @Override
        public boolean contains(Object element) {
            return part == Part.KEYS ? containsKey(element) : super.contains(element);
        }
    }

    /** What an iterator over the map gives at each entry. */
    private enum Part {
        KEYS {
            @Override
            Object at(Object[] keysAndValues, int position) {
                return keysAndValues[position];
            }
        },
        VALUES {
            @Override
            Object at(Object[] keysAndValues, int position) {
                return keysAndValues[position + 1];
            }
        },
        ENTRIES {
            @Override
            Object at(Object[] keysAndValues, int position) {
                return new SimpleImmutableEntry<>(keysAndValues[position], keysAndValues[position + 1]);
            }
        };

        abstract Object at(Object[] keysAndValues, int position);
    }

    /** An iterator over one {@link Part} of each entry, in order. */
    private static final class Walk<T> implements Iterator<T> {
        private final Object[] keysAndValues;
        private final Part part;
        private int next;

        Walk(Object[] keysAndValues, Part part) {
            this.keysAndValues = keysAndValues;
            this.part = part;
        }

        @Override
        public boolean hasNext() {
            return next < keysAndValues.length;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T next() {
            if (next >= keysAndValues.length) {
                throw new NoSuchElementException();
            }
            next += 2;
            return (T) part.at(keysAndValues, next - 2);
        }
    }
}
