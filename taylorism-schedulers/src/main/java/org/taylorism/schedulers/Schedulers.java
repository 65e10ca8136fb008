package org.taylorism.schedulers;

import java.util.List;
import java.util.Map;
import org.taylorism.Scheduler;

/**
 * The built-in schedulers: the original's five and two rules that wrap any scheduler.
 *
 * <pre>{@code
 * Scheduler scheduler = Schedulers.withResources(
 *         Schedulers.longerFirst(4, MemoryPolicy.defaults().withMaxMb(16_000)),
 *         Map.of("licence", 3));
 * }</pre>
 *
 * <p>Memory counts the {@code memory} each set declares (MiB); a set that can never fit is rejected at once
 * with its reason instead of waiting forever. Sets that cannot start yet may be overtaken by later ones that
 * can ("first fit"), but a set overtaken {@link MemoryPolicy#maxOvertakes()} times keeps its place at the
 * head until it starts.
 */
public final class Schedulers {

    /** The attributes SingleOpenFile keeps exclusive. */
    public static final List<String> OPEN_FILES = List.of("fileA", "fileB");

    private Schedulers() {
    }

    /** Launches everything at once. */
    public static Scheduler laxist() {
        return Laxist.INSTANCE;
    }

    /** At most {@code threads} running (0: one per CPU), first submitted first; tickets 0..n-1. */
    public static Scheduler maxThreads(int threads) {
        return Scheduler.maxThreads(threads);
    }

    /** Sets launch while the declared memory of everything running stays within the policy's budget. */
    public static Scheduler maxMemory(MemoryPolicy policy) {
        return maxMemory(policy, MemoryProbe.system());
    }

    static Scheduler maxMemory(MemoryPolicy policy, MemoryProbe probe) {
        return new ConstrainedScheduler("max-memory(" + policy.maxMb() + " MiB)", Integer.MAX_VALUE,
                List.of(new MemoryConstraint(policy, probe)), ConstrainedScheduler.Order.SUBMISSION, policy.maxOvertakes());
    }

    /**
     * MaxThreads and MaxMemory together, considering the sets with the longest {@code expected_time} first
     * (submission order among equals).
     */
    public static Scheduler longerFirst(int threads, MemoryPolicy policy) {
        return longerFirst(threads, policy, MemoryProbe.system());
    }

    static Scheduler longerFirst(int threads, MemoryPolicy policy, MemoryProbe probe) {
        return new ConstrainedScheduler("longer-first(" + threads + " threads, " + policy.maxMb() + " MiB)", threads,
                List.of(new MemoryConstraint(policy, probe)), ConstrainedScheduler.Order.LONGEST_FIRST, policy.maxOvertakes());
    }

    /** MaxThreads, and no two running workers share a value of {@code fileA} or {@code fileB}. */
    public static Scheduler singleOpenFile(int threads) {
        return exclusive(threads, OPEN_FILES);
    }

    /**
     * MaxThreads, and no two running workers share a value of any of {@code keys} (one namespace: a value
     * held under one key is held for all of them).
     */
    public static Scheduler exclusive(int threads, List<String> keys) {
        return new ConstrainedScheduler("exclusive(" + threads + " threads, " + String.join(", ", keys) + ")", threads,
                List.of(new ExclusiveConstraint(keys)), ConstrainedScheduler.Order.SUBMISSION, 0);
    }

    /**
     * {@code scheduler}, and named resources: a set holds its {@code resources} from launch to end, and the
     * sum held of each never exceeds its capacity. A set waiting for resources is overtaken at most 10 times.
     */
    public static Scheduler withResources(Scheduler scheduler, Map<String, Integer> capacities) {
        return withResources(scheduler, capacities, 10);
    }

    public static Scheduler withResources(Scheduler scheduler, Map<String, Integer> capacities, int maxOvertakes) {
        return new ResourceScheduler(scheduler, capacities, maxOvertakes);
    }

    /**
     * {@code scheduler}, with each worker pinned to one CPU by its ticket: ticket t runs on the CPU at
     * position {@code t mod ncpu} of this machine's socket-packed order (physical cores of each socket
     * first, SMT siblings last). Java workers and programs alike; the report shows each worker's CPUs.
     */
    public static Scheduler withCpuBinding(Scheduler scheduler) {
        return new CpuBindingScheduler(scheduler, CpuTopology.socketPacked());
    }

    static Scheduler withCpuBinding(Scheduler scheduler, List<Integer> socketPackedOrder) {
        return new CpuBindingScheduler(scheduler, socketPackedOrder);
    }
}
