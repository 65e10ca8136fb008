package org.taylorism.schedulers;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import org.taylorism.RunningWorker;
import org.taylorism.Task;

/**
 * Declared memory: running sets plus the candidate may not exceed the budget. With live headroom, the
 * candidate must also fit in what the machine has available now, less the margin and less the declared
 * memory of workers launched within the last {@link #RAMP_UP}: a worker just started has not allocated its
 * memory yet, so the kernel's figure does not show it, and trusting that figure alone would over-commit.
 */
final class MemoryConstraint implements Constraint {

    static final Duration RAMP_UP = Duration.ofSeconds(10);

    private final MemoryPolicy policy;
    private final MemoryProbe probe;
    private long declared;
    private long rampingUp;
    private long available = -1;
    private boolean blockedByLiveMemory;

    MemoryConstraint(MemoryPolicy policy, MemoryProbe probe) {
        this.policy = policy;
        this.probe = probe;
    }

    long budgetMb() {
        return policy.maxMb();
    }

    long need(Task task) {
        Integer memory = task.memoryMb();
        return memory != null ? memory : policy.perTaskMb();
    }

    @Override
    public void reset(Collection<RunningWorker> running) {
        declared = 0;
        rampingUp = 0;
        Instant recent = Instant.now().minus(RAMP_UP);
        for (RunningWorker worker : running) {
            declared += need(worker.task());
            if (worker.startedAt().isAfter(recent)) {
                rampingUp += need(worker.task());
            }
        }
        available = -1;
        blockedByLiveMemory = false;
    }

    @Override
    public String blocker(Task task) {
        long need = need(task);
        if (declared + need > policy.maxMb()) {
            return "needs " + need + " MiB, " + Math.max(0, policy.maxMb() - declared) + " MiB free of " + policy.maxMb() + " declared";
        }
        if (policy.liveHeadroom()) {
            if (available < 0) {
                available = probe.availableMb();
            }
            long usable = available - policy.safetyMarginMb() - rampingUp;
            if (need > usable) {
                blockedByLiveMemory = true;
                return "needs " + need + " MiB, " + Math.max(0, usable) + " MiB available now (MemAvailable " + available
                        + " MiB less a " + policy.safetyMarginMb() + " MiB margin" + (rampingUp > 0
                        ? " and " + rampingUp + " MiB of workers started in the last " + RAMP_UP.toSeconds() + " s" : "") + ")";
            }
        }
        return null;
    }

    @Override
    public void launched(Task task) {
        declared += need(task);
        rampingUp += need(task);
    }

    @Override
    public String neverFits(Task task) {
        long need = need(task);
        return need > policy.maxMb() ? "needs " + need + " MiB, more than the " + policy.maxMb() + " MiB memory budget: it can never run" : null;
    }

    @Override
    public boolean needsPolling() {
        return blockedByLiveMemory;
    }
}
