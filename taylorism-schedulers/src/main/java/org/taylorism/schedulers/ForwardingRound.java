package org.taylorism.schedulers;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.taylorism.RunningWorker;
import org.taylorism.Scheduler;
import org.taylorism.Task;

/** A round that passes everything to another; decorators override what they change. */
abstract class ForwardingRound implements Scheduler.Round {

    final Scheduler.Round round;

    ForwardingRound(Scheduler.Round round) {
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
