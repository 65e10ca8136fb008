package org.taylorism.schedulers;

import java.util.List;
import org.taylorism.ForwardingRound;
import org.taylorism.Scheduler;
import org.taylorism.Task;

/**
 * Pins each worker launched by the wrapped scheduler to one CPU: the worker holding ticket t runs on CPU
 * {@code order[t mod order.length]}, where the order is socket-packed (see {@link CpuTopology}). With
 * MaxThreads(n), n workers then use exactly the first n CPUs of that order.
 */
final class CpuBindingScheduler extends SchedulerDecorator {

    private final List<Integer> order;

    CpuBindingScheduler(Scheduler inner, List<Integer> order) {
        super(inner);
        if (order.isEmpty()) {
            throw new IllegalArgumentException("no CPU to bind workers to");
        }
        this.order = List.copyOf(order);
    }

    @Override
    public void schedule(Round round) {
        inner.schedule(new ForwardingRound(round) {
            @Override
            public int launch(Task task) {
                int ticket = round.launch(task);
                if (ticket >= 0) {
                    round.bind(task, List.of(order.get(ticket % order.size())));
                }
                return ticket;
            }
        });
    }

    @Override
    public String name() {
        return inner.name() + "+cpu-binding";
    }
}
