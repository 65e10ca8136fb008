package org.taylorism;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A change of a running Boss's rules, applied by {@link Boss#reconfigure} before its next scheduling round: a new
 * scheduler (with other limits: threads, memory budget, resource capacities), a new halt policy, a new retry
 * policy. What is left null stays as it is. Workers already running are not touched: a lower limit is reached as
 * they end. The new halt policy counts the failures of the whole run so far; the new retry policy decides for the
 * attempts that end from then on.
 *
 * @param scheduler the scheduler from now on, or null to keep the one there is
 * @param haltPolicy the halt policy from now on, or null
 * @param retryPolicy the retry policy from now on, or null
 */
public record Reconfiguration(Scheduler scheduler, HaltPolicy haltPolicy, RetryPolicy retryPolicy) {

    /** Changes nothing; {@code with...} from there. */
    public static Reconfiguration none() {
        return new Reconfiguration(null, null, null);
    }

    public Reconfiguration withScheduler(Scheduler scheduler) {
        return new Reconfiguration(Objects.requireNonNull(scheduler, "scheduler"), haltPolicy, retryPolicy);
    }

    public Reconfiguration withHaltPolicy(HaltPolicy haltPolicy) {
        return new Reconfiguration(scheduler, Objects.requireNonNull(haltPolicy, "haltPolicy"), retryPolicy);
    }

    public Reconfiguration withRetryPolicy(RetryPolicy retryPolicy) {
        return new Reconfiguration(scheduler, haltPolicy, Objects.requireNonNull(retryPolicy, "retryPolicy"));
    }

    /** What it changes, for logs: {@code scheduler max-threads(4), halt policy never}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (scheduler != null) {
            parts.add("scheduler " + schedulerName());
        }
        if (haltPolicy != null) {
            parts.add("halt policy " + haltPolicy);
        }
        if (retryPolicy != null) {
            parts.add("retry policy " + retryPolicy);
        }
        return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }

    private String schedulerName() {
        try {
            return scheduler.name();
        } catch (RuntimeException e) {
            return scheduler.getClass().getName();
        }
    }
}
