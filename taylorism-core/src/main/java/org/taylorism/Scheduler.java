package org.taylorism;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Decides which pending instruction sets launch now.
 *
 * <p>The Boss holds a scheduling {@link Round} after every event that can change the answer (new
 * instructions, a worker's end, RESUME, a wake-up the scheduler asked for). The scheduler walks the pending
 * sets in submission order, as far as it needs, and calls {@link Round#launch(Task)} for each set to start;
 * it may stop walking at any time, so a full machine costs one look, not one per pending set. Sets launched
 * earlier in the same round already count as running.
 *
 * <p>Called on the Boss thread only, so an implementation needs no locking; it must be quick and must not
 * block. A scheduler that throws does not kill the Boss: the run is aborted with the scheduler's name in
 * the error, and the report is kept.
 *
 * <pre>{@code
 * Scheduler oneAtATime = round -> {
 *     if (round.running().isEmpty() && round.pendingCount() > 0) {
 *         round.launch(round.pending().iterator().next());
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface Scheduler {

    /** Launches what may start now through {@code round}. */
    void schedule(Round round);

    /** Shown in logs, errors and reports. */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * Why {@code task} is still waiting, in a few words ("2/2 threads busy"), for interim reports; null when
     * there is nothing to say. Called on report requests only, never while scheduling.
     */
    default String whyWaiting(Task task, Round round) {
        return null;
    }

    /**
     * Instruction keys this scheduler reads (such as {@code fileA}): the Boss does not warn about them as
     * keys no worker attribute reads.
     */
    default java.util.Set<String> keysRead() {
        return java.util.Set.of();
    }

    /**
     * The most memory (MiB) this scheduler can ever grant one worker, when it counts memory: retries that
     * raise a worker's {@code memory} stop there, instead of asking for what could never run.
     */
    default Long maxMemoryMb() {
        return null;
    }

    /**
     * Whether this scheduler decides by how many workers run alone, never by what each one is or holds (its memory,
     * its resources, its name). A warm pool then queues each JVM's next task while its current one runs, so that the
     * JVM never waits for the Boss between tasks: the scheduler is asked for that task as if the current one had
     * ended, and the task starts the moment it does (its clock from then on). False unless a scheduler says so.
     */
    default boolean countsOnly() {
        return false;
    }

    /**
     * At most {@code maxThreads} workers at once, first submitted first launched. {@code 0} means one per
     * available CPU (never less than one).
     *
     * @throws IllegalArgumentException if {@code maxThreads} is negative
     */
    static Scheduler maxThreads(int maxThreads) {
        return new MaxThreadsScheduler(maxThreads);
    }

    /** One scheduling decision: what is waiting, what runs, and the means to launch. */
    interface Round {

        /** Pending sets in submission order; read-only. Sets launched in this round are still listed. */
        Iterable<Task> pending();

        int pendingCount();

        /** Workers running now, including those launched earlier in this round. */
        Collection<RunningWorker> running();

        /**
         * Launches {@code task} and returns its ticket: the lowest slot number no running worker holds.
         * Returns -1 when the launch is declined after all by a rule wrapped around this scheduler (named
         * resources, for one): the task stays pending, and the caller must not count it as launched.
         */
        int launch(Task task);

        /**
         * Binds a task launched in this round to these CPUs (the launcher pins its process; the report shows
         * them).
         */
        void bind(Task task, List<Integer> cpus);

        /** {@code task} can never launch: it ends as failed with {@code reason}, instead of waiting forever. */
        void reject(Task task, String reason);

        /** Asks for another round at {@code when} even if nothing else happens (a delayed start). */
        void wakeUpAt(Instant when);

        Instant now();
    }
}
