package org.taylorism.schedulers;

import java.util.Collection;
import org.taylorism.RunningWorker;
import org.taylorism.Task;

/**
 * One rule of a {@link ConstrainedScheduler}, with its state for one decision: it is
 * {@linkplain #reset reset} from the running workers, asked whether each candidate may start, and told of
 * each launch so sets launched in the same round count.
 */
interface Constraint {

    /** Starts a decision from what runs now. */
    void reset(Collection<RunningWorker> running);

    /** Why {@code task} cannot start now, or null when this rule lets it. */
    String blocker(Task task);

    /** {@code task} launches: it holds its share from now on. */
    void launched(Task task);

    /** Why {@code task} can never start under this rule (it is rejected at once), or null. */
    default String neverFits(Task task) {
        return null;
    }

    /**
     * Whether sets waiting on this rule can be starved by smaller ones that overtake them (amounts: memory,
     * resources), so that the starvation guard applies; a wait for an exclusive value cannot.
     */
    default boolean amountBased() {
        return true;
    }

    /** Instruction keys this rule reads. */
    default java.util.Set<String> keysRead() {
        return java.util.Set.of();
    }

    /** Whether a wait on this rule may end without any worker ending (live measurements): re-check soon. */
    default boolean needsPolling() {
        return false;
    }
}
