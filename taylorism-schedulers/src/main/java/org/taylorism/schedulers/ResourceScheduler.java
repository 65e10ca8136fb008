package org.taylorism.schedulers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.taylorism.ForwardingRound;
import org.taylorism.RunningWorker;
import org.taylorism.Scheduler;
import org.taylorism.Task;

/**
 * Named resources around any scheduler: capacities such as {@code licence=3, gpu=1}; a set declares what it
 * holds from launch to end ({@code "resources": {"licence": 1}}). The wrapped scheduler sees only the sets
 * whose resources are free, decided as it walks (so sets it launches in the same decision count), and a
 * launch it asks for that no longer fits is declined. A set that asks for an unknown resource or more than
 * its capacity is rejected at once. A set waiting for resources is overtaken at most {@code maxOvertakes}
 * times.
 */
final class ResourceScheduler extends SchedulerDecorator {

    private final Map<String, Integer> capacities;
    private final StarvationGuard guard;

    ResourceScheduler(Scheduler inner, Map<String, Integer> capacities, int maxOvertakes) {
        super(inner);
        capacities.forEach((name, capacity) -> {
            if (capacity == null || capacity < 0) {
                throw new IllegalArgumentException("resource " + name + " has a capacity below 0: " + capacity);
            }
        });
        this.capacities = Collections.unmodifiableMap(new LinkedHashMap<>(capacities));
        this.guard = new StarvationGuard(maxOvertakes);
    }

    @Override
    public void schedule(Round round) {
        guard.startRound(round);
        inner.schedule(new ResourceRound(round));
    }

    @Override
    public String whyWaiting(Task task, Round round) {
        Holdings holdings = new Holdings(round.running());
        String blocker = holdings.blocker(task);
        return blocker != null ? blocker : inner.whyWaiting(task, round);
    }

    @Override
    public String name() {
        return inner.name() + "+resources" + capacities;
    }

    private String neverFits(Task task) {
        for (Map.Entry<String, Integer> need : task.resources().entrySet()) {
            Integer capacity = capacities.get(need.getKey());
            if (capacity == null) {
                return "needs resource '" + need.getKey() + "', which is not defined (defined: " + capacities.keySet() + ")";
            }
            if (need.getValue() > capacity) {
                return "needs " + need.getValue() + " " + need.getKey() + ", more than its capacity of " + capacity + ": it can never run";
            }
        }
        return null;
    }

    /** Who holds how much of each resource. */
    private final class Holdings {
        private final Map<String, Integer> held = new HashMap<>();
        private final Map<String, List<String>> holders = new HashMap<>();

        Holdings(Collection<RunningWorker> running) {
            running.forEach(worker -> take(worker.task()));
        }

        void take(Task task) {
            task.resources().forEach((name, amount) -> {
                held.merge(name, amount, Integer::sum);
                holders.computeIfAbsent(name, k -> new ArrayList<>()).add(task.name());
            });
        }

        String blocker(Task task) {
            for (Map.Entry<String, Integer> need : task.resources().entrySet()) {
                String name = need.getKey();
                int capacity = capacities.getOrDefault(name, 0);
                int taken = held.getOrDefault(name, 0);
                if (taken + need.getValue() > capacity) {
                    return name + " " + taken + "/" + capacity + " held by " + String.join(", ", holders.getOrDefault(name, List.of()));
                }
            }
            return null;
        }
    }

    /** The round as the wrapped scheduler sees it: only sets whose resources are free right now. */
    private final class ResourceRound extends ForwardingRound {
        private final Holdings holdings;
        private final java.util.Set<Long> rejected = new java.util.HashSet<>();
        private boolean reserved;

        ResourceRound(Round round) {
            super(round);
            this.holdings = new Holdings(round.running());
        }

        @Override
        public Iterable<Task> pending() {
            return () -> new Iterator<>() {
                private final Iterator<Task> all = round.pending().iterator();
                private Task next;
                private boolean stopped;

                @Override
                public boolean hasNext() {
                    while (next == null && !stopped && !reserved && all.hasNext()) {
                        Task candidate = all.next();
                        String never = neverFits(candidate);
                        if (never != null) {
                            if (rejected.add(candidate.id())) {
                                round.reject(candidate, never); // once, however often the scheduler walks
                            }
                        } else if (holdings.blocker(candidate) == null) {
                            next = candidate;
                        } else if (guard.blocked(candidate)) {
                            stopped = true;
                        }
                    }
                    return next != null && !reserved;
                }

                @Override
                public Task next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Task task = next;
                    next = null;
                    return task;
                }
            };
        }

        @Override
        public int launch(Task task) {
            if (neverFits(task) != null || holdings.blocker(task) != null) {
                return -1;
            }
            int ticket = round.launch(task);
            if (ticket >= 0) {
                holdings.take(task);
                reserved |= guard.launched(task);
            }
            return ticket;
        }

    }
}
