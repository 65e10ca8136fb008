package org.taylorism.internal.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.taylorism.Task;

/**
 * Sub-tasks: which running worker submitted which sets, and which workers wait for theirs. A worker that waits
 * lends its slot: the scheduler does not count it while any sub-task it waits for has yet to end, so a run
 * whose every slot holds a waiting parent still goes on (its sub-tasks also go before other pending sets, see
 * {@link RunBook}). Only unended sub-tasks are kept. Boss thread only.
 */
final class Lineage {

    /** One wait of a parent: the sub-tasks it waits for that have yet to end, and who is told when none is left. */
    private record Loan(Set<Long> awaited, CompletableFuture<Void> done) {
    }

    private final Map<Long, Long> parentOf = new HashMap<>();
    private final Map<Long, Set<Long>> childrenOf = new HashMap<>();
    private final Map<Long, List<Loan>> loans = new HashMap<>();

    /** Takes {@code subTasks} as submitted by the running worker of task {@code parent}. */
    void adopt(long parent, List<Task> subTasks) {
        Set<Long> children = childrenOf.computeIfAbsent(parent, key -> new LinkedHashSet<>());
        for (Task task : subTasks) {
            parentOf.put(task.id(), parent);
            children.add(task.id());
        }
    }

    boolean isSubTask(long id) {
        return parentOf.containsKey(id);
    }

    /** Whether the worker of task {@code id} waits for sub-tasks, lending its slot. */
    boolean isLending(long id) {
        return loans.containsKey(id);
    }

    boolean anyLending() {
        return !loans.isEmpty();
    }

    /**
     * The running worker of task {@code parent} waits for those of {@code ids} that are its unended sub-tasks: it
     * lends its slot until they have all ended, when {@code done} is completed (at once when none is left).
     */
    void lend(long parent, Collection<Long> ids, CompletableFuture<Void> done) {
        Set<Long> awaited = new LinkedHashSet<>();
        for (Long id : ids) {
            Long parentOfId = parentOf.get(id);
            if (parentOfId != null && parentOfId == parent) {
                awaited.add(id);
            }
        }
        if (awaited.isEmpty()) {
            done.complete(null);
            return;
        }
        loans.computeIfAbsent(parent, key -> new ArrayList<>()).add(new Loan(awaited, done));
    }

    /** Task {@code id} ended for good: if it was a sub-task, its parent's waits no longer count it. */
    void ended(long id) {
        Long parent = parentOf.remove(id);
        if (parent == null) {
            return;
        }
        Set<Long> siblings = childrenOf.get(parent);
        if (siblings != null) {
            siblings.remove(id);
            if (siblings.isEmpty()) {
                childrenOf.remove(parent);
            }
        }
        List<Loan> waits = loans.get(parent);
        if (waits == null) {
            return;
        }
        waits.removeIf(loan -> loan.awaited().remove(id) && loan.awaited().isEmpty() && loan.done().complete(null));
        if (waits.isEmpty()) {
            loans.remove(parent);
        }
    }

    /** The worker of task {@code parent} stopped the wait that ends {@code done}: that loan ends, the others go on. */
    void takeBack(long parent, CompletableFuture<Void> done) {
        List<Loan> waits = loans.get(parent);
        if (waits != null && waits.removeIf(loan -> loan.done() == done) && waits.isEmpty()) {
            loans.remove(parent);
        }
    }

    /** The attempt of task {@code parent} ended: it waits no more (its waits are completed) and lends nothing. */
    void attemptEnded(long parent) {
        List<Loan> waits = loans.remove(parent);
        if (waits != null) {
            waits.forEach(loan -> loan.done().complete(null));
        }
    }

    /** The unended sub-tasks of task {@code parent} and theirs, parents before their children. */
    List<Long> descendants(long parent) {
        List<Long> found = new ArrayList<>();
        collect(parent, found);
        return found;
    }

    private void collect(long parent, List<Long> found) {
        Set<Long> children = childrenOf.get(parent);
        if (children == null) {
            return;
        }
        for (Long child : List.copyOf(children)) {
            found.add(child);
            collect(child, found);
        }
    }
}
