package org.taylorism.schedulers;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.taylorism.RunningWorker;
import org.taylorism.Scheduler;
import org.taylorism.Task;

/**
 * Pins each worker launched by the wrapped scheduler to one CPU: the worker holding ticket t runs on CPU
 * {@code order[t mod order.length]}, where the order is socket-packed (see {@link CpuTopology}). With
 * MaxThreads(n), n workers then use exactly the first n CPUs of that order.
 */
final class CpuBindingScheduler implements Scheduler {

    private final Scheduler inner;
    private final List<Integer> order;

    CpuBindingScheduler(Scheduler inner, List<Integer> order) {
        if (order.isEmpty()) {
            throw new IllegalArgumentException("no CPU to bind workers to");
        }
        this.inner = inner;
        this.order = List.copyOf(order);
    }

    @Override
    public void schedule(Round round) {
        inner.schedule(new Round() {
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
                int ticket = round.launch(task);
                if (ticket >= 0) {
                    round.bind(task, List.of(order.get(ticket % order.size())));
                }
                return ticket;
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
        });
    }

    @Override
    public Long maxMemoryMb() {
        return inner.maxMemoryMb();
    }

    @Override
    public java.util.Set<String> keysRead() {
        return inner.keysRead();
    }

    @Override
    public String whyWaiting(Task task, Round round) {
        return inner.whyWaiting(task, round);
    }

    @Override
    public String name() {
        return inner.name() + "+cpu-binding";
    }
}
