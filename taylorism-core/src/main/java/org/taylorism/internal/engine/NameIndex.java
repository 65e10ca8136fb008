package org.taylorism.internal.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The names of every set submitted to a Boss, in submission order: what an {@code after} may name. Written once
 * a batch is accepted, read by the batches that follow, from any caller's thread. Each name also holds how the last
 * set of that name ended, for {@link Flows} on the Boss thread: one table for both, since a run of a million sets
 * would otherwise keep every name twice.
 */
final class NameIndex {

    private final CompactNames names = new CompactNames();

    synchronized boolean contains(String name) {
        return names.contains(name);
    }

    /** The names {@code pattern} matches, in submission order. */
    synchronized List<String> matching(Pattern pattern) {
        List<String> found = new ArrayList<>();
        for (int index = 0; index < names.size(); index++) {
            String name = names.name(index);
            if (pattern.matcher(name).matches()) {
                found.add(name);
            }
        }
        return found;
    }

    synchronized void addAll(Collection<String> accepted) {
        accepted.forEach(names::add);
    }

    /** Notes that the last set called {@code name} ended with this code (not 0), adding the name if it is new. */
    synchronized void ended(String name, byte code) {
        names.value(names.add(name), code);
    }

    /** The code the last set called {@code name} ended with; 0 when none ended, or the name is unknown. */
    synchronized byte endedWith(String name) {
        int index = names.indexOf(name);
        return index < 0 ? 0 : names.value(index);
    }
}
