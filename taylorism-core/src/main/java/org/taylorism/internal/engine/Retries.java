package org.taylorism.internal.engine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.taylorism.Cause;
import org.taylorism.RetryPolicy;
import org.taylorism.Task;
import org.taylorism.WorkerReport;
import org.taylorism.internal.CompactMap;

/**
 * The next attempt of a task that failed and is tried again: after the policy's backoff, and with more of what
 * it lacked: memory (stopped for memory, or likely OOM-killed: its {@code memory} times the policy's factor,
 * never more than the scheduler can grant) or time (timed out: its {@code timeout} times the factor).
 */
final class Retries {

    private Retries() {
    }

    /**
     * @param cause why the attempt failed
     * @param failed its report
     * @param memoryCapMb the most memory the scheduler can ever grant one worker, or null when it does not count memory
     */
    static Task nextAttempt(Attempt attempt, Cause cause, WorkerReport failed, RetryPolicy policy, Long memoryCapMb, Instant now) {
        Task task = attempt.task();
        Map<String, Object> values = new LinkedHashMap<>(task.values());
        if (cause != null && cause.lackedMemory()) {
            long base = task.memoryMb() != null ? task.memoryMb() : failed.peakRssMb() != null ? failed.peakRssMb() : 1024;
            long raised = (long) Math.ceil(base * policy.memoryFactor());
            values.put("memory", (int) Math.min(Integer.MAX_VALUE, memoryCapMb == null ? raised : Math.min(raised, memoryCapMb)));
        }
        if (cause != null && cause.lackedTime() && attempt.timeout != null) {
            values.put("timeout", attempt.timeout.toMillis() / 1000.0 * policy.timeoutFactor());
        }
        int next = task.attempt() + 1;
        return new Task(task.id(), task.name(), task.type(), task.instructions(), CompactMap.copyOf(values),
                now.plus(policy.backoffBefore(next)), next, task.submittedAt());
    }
}
