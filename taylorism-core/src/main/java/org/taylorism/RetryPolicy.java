package org.taylorism;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which failed workers are tried again, how often and how soon. A worker is retried while it has attempts
 * left and its outcome is among {@code retryOn} statuses, or its exit code is among {@code retryExitCodes},
 * or its error's type is among {@code retryExceptionTypes} (full or simple class name). Retries are
 * cause-aware: a worker stopped for memory, or killed by the kernel's OOM killer, is retried with its
 * {@code memory} multiplied by {@code memoryFactor} (capped at what the scheduler can ever grant); a worker
 * that timed out is retried with its {@code timeout} multiplied by {@code timeoutFactor}. The wait before
 * attempt n+1 is {@code backoff * backoffMultiplier^(n-1)}.
 *
 * <pre>{@code
 * RetryPolicy.attempts(3).withBackoff(Duration.ofSeconds(1), 2.0).withRetryExitCodes(Set.of(75))
 * }</pre>
 */
public record RetryPolicy(int maxAttempts, Duration backoff, double backoffMultiplier, Set<WorkerStatus> retryOn,
                          Set<Integer> retryExitCodes, Set<String> retryExceptionTypes, double memoryFactor,
                          double timeoutFactor) {

    /** Each worker runs once. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, 1, Set.of(), Set.of(), Set.of(), 1.5, 2);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts < 1: " + maxAttempts);
        }
        if (backoff.isNegative() || backoffMultiplier < 1 || memoryFactor < 1 || timeoutFactor < 1) {
            throw new IllegalArgumentException("backoff must be 0 or more and factors 1 or more: backoff=" + backoff
                    + ", multiplier=" + backoffMultiplier + ", memoryFactor=" + memoryFactor + ", timeoutFactor=" + timeoutFactor);
        }
        retryOn = Set.copyOf(retryOn);
        retryExitCodes = Set.copyOf(retryExitCodes);
        retryExceptionTypes = Set.copyOf(retryExceptionTypes);
    }

    /**
     * Up to {@code maxAttempts} attempts for workers that failed, crashed, timed out or exceeded their
     * memory; 1 s backoff doubling; memory x1.5, timeout x2.
     */
    public static RetryPolicy attempts(int maxAttempts) {
        Set<WorkerStatus> failures = EnumSet.noneOf(WorkerStatus.class);
        for (WorkerStatus status : WorkerStatus.values()) {
            if (status.isFailure()) {
                failures.add(status);
            }
        }
        return new RetryPolicy(maxAttempts, Duration.ofSeconds(1), 2, failures, Set.of(), Set.of(), 1.5, 2);
    }

    public RetryPolicy withBackoff(Duration first, double multiplier) {
        return new RetryPolicy(maxAttempts, first, multiplier, retryOn, retryExitCodes, retryExceptionTypes, memoryFactor, timeoutFactor);
    }

    /** Retries only these outcomes (and the exit codes and exception types given separately). */
    public RetryPolicy withRetryOn(Set<WorkerStatus> statuses) {
        return new RetryPolicy(maxAttempts, backoff, backoffMultiplier, statuses, retryExitCodes, retryExceptionTypes, memoryFactor, timeoutFactor);
    }

    public RetryPolicy withRetryExitCodes(Set<Integer> exitCodes) {
        return new RetryPolicy(maxAttempts, backoff, backoffMultiplier, retryOn, exitCodes, retryExceptionTypes, memoryFactor, timeoutFactor);
    }

    public RetryPolicy withRetryExceptionTypes(Set<String> types) {
        return new RetryPolicy(maxAttempts, backoff, backoffMultiplier, retryOn, retryExitCodes, types, memoryFactor, timeoutFactor);
    }

    public RetryPolicy withEscalation(double memory, double timeout) {
        return new RetryPolicy(maxAttempts, backoff, backoffMultiplier, retryOn, retryExitCodes, retryExceptionTypes, memory, timeout);
    }

    /**
     * Whether a worker whose attempt number {@code attempt} ended with this status, exit code (or null) and
     * error (or null) is tried again.
     */
    public boolean retries(int attempt, WorkerStatus status, Integer exitCode, ErrorInfo error) {
        if (attempt >= maxAttempts || !status.isFailure()) {
            return false;
        }
        if (retryOn.contains(status)) {
            return true;
        }
        if (exitCode != null && retryExitCodes.contains(exitCode)) {
            return true;
        }
        if (error != null && error.type() != null) {
            String type = error.type();
            String simple = type.substring(Math.max(type.lastIndexOf('.'), type.lastIndexOf('$')) + 1);
            return retryExceptionTypes.contains(type) || retryExceptionTypes.contains(simple);
        }
        return false;
    }

    /** The wait before attempt {@code nextAttempt} (2 or more). */
    public Duration backoffBefore(int nextAttempt) {
        return Duration.ofMillis(Math.round(backoff.toMillis() * Math.pow(backoffMultiplier, nextAttempt - 2)));
    }
}
