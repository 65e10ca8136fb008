package org.taylorism.internal.engine;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.taylorism.Task;

/**
 * The pending sets as the scheduler walks them: the first queue's, then the second's, as one read-only map by
 * task id, without copying either (a run may hold a million pending sets).
 */
final class PendingView extends AbstractMap<Long, Task> {

    private final Map<Long, Task> first;
    private final Map<Long, Task> second;

    PendingView(Map<Long, Task> first, Map<Long, Task> second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public int size() {
        return first.size() + second.size();
    }

    @Override
    public boolean isEmpty() {
        return first.isEmpty() && second.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return first.containsKey(key) || second.containsKey(key);
    }

    @Override
    public Task get(Object key) {
        Task task = first.get(key);
        return task != null ? task : second.get(key);
    }

    @Override
    public Collection<Task> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<Task> iterator() {
                return Iterators.concat(first.values().iterator(), second.values().iterator());
            }

            @Override
            public int size() {
                return PendingView.this.size();
            }
        };
    }

    @Override
    public Set<Entry<Long, Task>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<Long, Task>> iterator() {
                return Iterators.mapped(Iterators.concat(first.entrySet().iterator(), second.entrySet().iterator()),
                        entry -> new SimpleImmutableEntry<>(entry));
            }

            @Override
            public int size() {
                return PendingView.this.size();
            }
        };
    }
}
