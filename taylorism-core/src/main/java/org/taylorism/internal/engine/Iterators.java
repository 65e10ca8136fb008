package org.taylorism.internal.engine;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Read-only views over the Boss's collections, walked at every scheduling round: a stream's iterator costs several
 * objects per walk, and these walks come thousands of times a second on a warm pool.
 */
final class Iterators {

    private Iterators() {
    }

    /** The elements of {@code source} that {@code keep} accepts, each as {@code view} shows it. */
    static <S, T> Iterator<T> filtered(Iterator<S> source, Predicate<? super S> keep, Function<? super S, ? extends T> view) {
        return new Iterator<>() {
            private S next;
            private boolean found;

            @Override
            public boolean hasNext() {
                while (!found && source.hasNext()) {
                    S candidate = source.next();
                    if (keep.test(candidate)) {
                        next = candidate;
                        found = true;
                    }
                }
                return found;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                found = false;
                S taken = next;
                next = null;
                return view.apply(taken);
            }
        };
    }

    /** The elements of {@code source}, each as {@code view} shows it. */
    static <S, T> Iterator<T> mapped(Iterator<S> source, Function<? super S, ? extends T> view) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public T next() {
                return view.apply(source.next());
            }
        };
    }

    /** The elements of {@code first}, then those of {@code second}. */
    static <T> Iterator<T> concat(Iterator<? extends T> first, Iterator<? extends T> second) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return first.hasNext() || second.hasNext();
            }

            @Override
            public T next() {
                return first.hasNext() ? first.next() : second.next();
            }
        };
    }
}
