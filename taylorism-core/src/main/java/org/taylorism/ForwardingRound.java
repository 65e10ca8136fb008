package org.taylorism;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * A scheduling round that passes everything to another: a scheduler that wraps another (named resources, a
 * cluster allocation's room) hands the inner one a subclass that overrides what it changes.
 */
public abstract class ForwardingRound implements Scheduler.Round {

    /** The round this one passes to. */
    protected final Scheduler.Round round;

    protected ForwardingRound(Scheduler.Round round) {
        this.round = round;
    }

    @Override
    public Iterable<Task> pending() {
        return round.pending();
    }

    @Override
    public int pendingCount() {
        return round.pendingCount();
    }

    @Override
    public Collection<RunningWorker> running() {
        return round.running();
    }

    @Override
    public int launch(Task task) {
        return round.launch(task);
    }

    @Override
    public void bind(Task task, List<Integer> cpus) {
        round.bind(task, cpus);
    }

    @Override
    public void reject(Task task, String reason) {
        round.reject(task, reason);
    }

    @Override
    public void wakeUpAt(Instant when) {
        round.wakeUpAt(when);
    }

    @Override
    public Instant now() {
        return round.now();
    }
}
