package org.taylorism.slurm;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.taylorism.ForwardingRound;
import org.taylorism.RunningWorker;
import org.taylorism.Scheduler;
import org.taylorism.Task;

/**
 * Wraps the user's scheduler so that it only launches job steps the allocation can start now: each worker
 * goes to the first node with enough free CPUs (and memory, when Slurm counts it), and the launcher starts
 * its step there ({@code srun -w NODE}). Steps are never queued inside Slurm, where they would wait unseen;
 * a worker that no node of the allocation could ever hold is rejected at once.
 *
 * <p>Placements are kept by ticket: the Boss gives a worker its ticket when the scheduler launches it and
 * hands the same ticket to the launcher right after, on the same thread.
 */
final class StepPlacement implements Scheduler {

    /** Where one worker runs and what it holds there. */
    record Place(String node, int cpus, long memoryMb) {
    }

    private final Scheduler inner;
    private final Allocation allocation;
    private final CpusPerWorker cpusPerWorker;
    private final Map<Integer, Place> byTicket = new HashMap<>();

    StepPlacement(Scheduler inner, Allocation allocation, CpusPerWorker cpusPerWorker) {
        this.inner = inner;
        this.allocation = allocation;
        this.cpusPerWorker = cpusPerWorker;
    }

    /** The place of the worker that holds {@code ticket}, decided when it was launched. */
    Place placeOf(int ticket) {
        return byTicket.get(ticket);
    }

    @Override
    public void schedule(Round round) {
        inner.schedule(new PlacingRound(round));
    }

    @Override
    public String name() {
        return inner.name() + "+slurm-allocation";
    }

    @Override
    public Long maxMemoryMb() {
        long largest = allocation.nodes().stream().mapToLong(Allocation.NodeShare::memoryMb).max().orElse(0);
        Long innerMax = inner.maxMemoryMb();
        if (largest == 0) {
            return innerMax;
        }
        return innerMax == null ? Long.valueOf(largest) : Long.valueOf(Math.min(largest, innerMax));
    }

    @Override
    public Set<String> keysRead() {
        Set<String> keys = new HashSet<>(inner.keysRead());
        keys.add(cpusPerWorker.attribute());
        return keys;
    }

    @Override
    public String whyWaiting(Task task, Round round) {
        Free free = new Free(round.running());
        String never = neverFits(task);
        if (never == null && free.firstFit(task) == null) {
            return "no node of Slurm allocation " + allocation.jobId() + " has " + cpus(task) + " CPU(s)"
                    + (countsMemory() && task.memoryMb() != null ? " and " + task.memoryMb() + " MiB" : "") + " free (" + free + ")";
        }
        return inner.whyWaiting(task, round);
    }

    private boolean countsMemory() {
        return allocation.nodes().stream().anyMatch(node -> node.memoryMb() > 0);
    }

    private int cpus(Task task) {
        return cpusPerWorker.of(task.instructions());
    }

    private long memory(Task task) {
        return countsMemory() && task.memoryMb() != null ? task.memoryMb() : 0;
    }

    /** Why no node of the allocation could ever hold {@code task}, or null when one could. */
    private String neverFits(Task task) {
        int cpus;
        try {
            cpus = cpus(task);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        long memory = memory(task);
        for (Allocation.NodeShare node : allocation.nodes()) {
            if (node.cpus() >= cpus && (memory == 0 || node.memoryMb() >= memory)) {
                return null;
            }
        }
        int mostCpus = allocation.nodes().stream().mapToInt(Allocation.NodeShare::cpus).max().orElse(0);
        long mostMemory = allocation.nodes().stream().mapToLong(Allocation.NodeShare::memoryMb).max().orElse(0);
        return "it needs " + cpus + " CPU(s)" + (memory > 0 ? " and " + memory + " MiB" : "") + " on one node, and no node of Slurm allocation "
                + allocation.jobId() + " has that much (at most " + mostCpus + " CPU(s)" + (memory > 0 ? " and " + mostMemory + " MiB" : "")
                + " per node): it can never run";
    }

    /** What is free on each node of the allocation, given the workers running. */
    private final class Free {
        private final Map<String, int[]> cpusFree = new LinkedHashMap<>();
        private final Map<String, long[]> memoryFree = new HashMap<>();

        Free(Collection<RunningWorker> running) {
            for (Allocation.NodeShare node : allocation.nodes()) {
                cpusFree.put(node.name(), new int[] {node.cpus()});
                memoryFree.put(node.name(), new long[] {node.memoryMb()});
            }
            for (RunningWorker worker : running) {
                Place place = byTicket.get(worker.ticket());
                if (place != null) {
                    take(place);
                }
            }
        }

        void take(Place place) {
            int[] cpus = cpusFree.get(place.node());
            if (cpus != null) {
                cpus[0] -= place.cpus();
                memoryFree.get(place.node())[0] -= place.memoryMb();
            }
        }

        boolean anyFree() {
            return cpusFree.values().stream().anyMatch(cpus -> cpus[0] > 0);
        }

        Place firstFit(Task task) {
            int cpus = cpus(task);
            long memory = memory(task);
            for (Map.Entry<String, int[]> node : cpusFree.entrySet()) {
                if (node.getValue()[0] >= cpus && (memory == 0 || memoryFree.get(node.getKey())[0] >= memory)) {
                    return new Place(node.getKey(), cpus, memory);
                }
            }
            return null;
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            cpusFree.forEach((node, cpus) -> text.append(text.length() == 0 ? "" : ", ").append(node).append(": ")
                    .append(cpus[0]).append(" CPU(s) free"));
            return text.toString();
        }
    }

    /** The round as the user's scheduler sees it: only sets that some node can take now. */
    private final class PlacingRound extends ForwardingRound {
        private final Free free;
        private final Set<Long> rejected = new HashSet<>();

        PlacingRound(Round round) {
            super(round);
            this.free = new Free(round.running());
        }

        @Override
        public Iterable<Task> pending() {
            return () -> new Iterator<>() {
                private final Iterator<Task> all = round.pending().iterator();
                private Task next;

                @Override
                public boolean hasNext() {
                    // A full allocation costs one look, not one per pending set.
                    while (next == null && free.anyFree() && all.hasNext()) {
                        Task candidate = all.next();
                        String never = neverFits(candidate);
                        if (never != null) {
                            if (rejected.add(candidate.id())) {
                                round.reject(candidate, never);
                            }
                        } else if (free.firstFit(candidate) != null) {
                            next = candidate;
                        }
                    }
                    return next != null;
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
            if (neverFits(task) != null) {
                return -1;
            }
            Place place = free.firstFit(task);
            if (place == null) {
                return -1;
            }
            int ticket = round.launch(task);
            if (ticket >= 0) {
                byTicket.put(ticket, place);
                free.take(place);
            }
            return ticket;
        }
    }
}
