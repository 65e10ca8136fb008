package org.taylorism.internal.engine;

import java.time.Instant;
import java.util.AbstractCollection;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.taylorism.RunningWorker;
import org.taylorism.Scheduler;
import org.taylorism.Task;

/**
 * One scheduling decision, made synchronously on what it is given: the pending sets, the running workers, the
 * tickets they hold, the time. The scheduler launches and rejects through it; nothing starts until it has
 * returned, when the caller reads {@link #launched()} and {@link #rejected()}. The Boss holds one after each
 * batch of messages; {@code explain} and tests hold one without any Boss. A read-only one is the view behind
 * {@link Scheduler#whyWaiting}.
 */
final class SchedulingRound implements Scheduler.Round {

    private final Map<Long, Task> pending;
    private final Collection<RunningWorker> running;
    private final BitSet tickets;
    private final Instant now;
    private final Consumer<Instant> wakeUps;
    private final boolean readOnly;
    // Keyed by task id: records compare by value, and a task's maps are not worth hashing.
    private final LinkedHashMap<Long, RunningWorker> launched = new LinkedHashMap<>();
    private final LinkedHashMap<Long, String> rejected = new LinkedHashMap<>();

    /**
     * @param pending the pending sets by id, in submission order
     * @param running the workers running before this round
     * @param tickets the tickets they hold; a launch takes the lowest free one, and keeps it taken
     * @param wakeUps where the scheduler's requests for another round go
     */
    private SchedulingRound(Map<Long, Task> pending, Collection<RunningWorker> running, BitSet tickets, Instant now,
                            Consumer<Instant> wakeUps, boolean readOnly) {
        this.pending = pending;
        this.running = running;
        this.tickets = tickets;
        this.now = now;
        this.wakeUps = wakeUps;
        this.readOnly = readOnly;
    }

    /** A round that decides: launches take tickets from {@code tickets}. */
    static SchedulingRound deciding(Map<Long, Task> pending, Collection<RunningWorker> running, BitSet tickets, Instant now,
                                    Consumer<Instant> wakeUps) {
        return new SchedulingRound(pending, running, tickets, now, wakeUps, false);
    }

    /** A view in which nothing can be decided: what a scheduler sees when asked why a set waits. */
    static SchedulingRound readOnly(Map<Long, Task> pending, Collection<RunningWorker> running, Instant now) {
        return new SchedulingRound(pending, running, new BitSet(), now, when -> { }, true);
    }

    @Override
    public Iterable<Task> pending() {
        return Collections.unmodifiableCollection(pending.values());
    }

    @Override
    public int pendingCount() {
        return pending.size();
    }

    @Override
    public Collection<RunningWorker> running() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<RunningWorker> iterator() {
                return Iterators.concat(running.iterator(), launched.values().iterator());
            }

            @Override
            public int size() {
                return running.size() + launched.size();
            }
        };
    }

    @Override
    public int launch(Task task) {
        checkDecidable(task);
        int ticket = tickets.nextClearBit(0);
        tickets.set(ticket);
        launched.put(task.id(), new RunningWorker(task, ticket, now, List.of()));
        return ticket;
    }

    @Override
    public void bind(Task task, List<Integer> cpus) {
        RunningWorker launch = launched.get(task.id());
        if (readOnly || launch == null) {
            throw new IllegalStateException("task " + task.name() + " was not launched in this round: it cannot be bound");
        }
        launched.put(task.id(), new RunningWorker(task, launch.ticket(), launch.startedAt(), List.copyOf(cpus)));
    }

    @Override
    public void reject(Task task, String reason) {
        checkDecidable(task);
        rejected.put(task.id(), Objects.requireNonNull(reason, "reason"));
    }

    @Override
    public void wakeUpAt(Instant when) {
        wakeUps.accept(Objects.requireNonNull(when, "when"));
    }

    @Override
    public Instant now() {
        return now;
    }

    /** What was launched, in launch order, with its ticket and CPUs. */
    Collection<RunningWorker> launched() {
        return launched.values();
    }

    /** Why each rejected set can never run, by task id. */
    Map<Long, String> rejected() {
        return rejected;
    }

    /** Gives back the tickets of this round's launches: the scheduler failed, and none of them starts. */
    void undo() {
        launched.values().forEach(launch -> tickets.clear(launch.ticket()));
    }

    private void checkDecidable(Task task) {
        if (readOnly) {
            throw new IllegalStateException("launch and reject are not allowed while explaining why a task waits");
        }
        if (!pending.containsKey(task.id())) {
            throw new IllegalStateException("task " + task.name() + " is not pending");
        }
        if (launched.containsKey(task.id()) || rejected.containsKey(task.id())) {
            throw new IllegalStateException("task " + task.name() + " was already decided in this round");
        }
    }
}
