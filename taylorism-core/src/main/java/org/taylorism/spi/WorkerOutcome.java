package org.taylorism.spi;

import org.taylorism.ErrorInfo;
import org.taylorism.internal.launch.Outcomes;

/**
 * How a launched worker ended, as its launcher saw it: the Boss then decides what that means (its status and
 * cause in the report).
 */
public sealed interface WorkerOutcome permits WorkerOutcome.Returned, WorkerOutcome.Raised, WorkerOutcome.Died,
        WorkerOutcome.ClusterEnded {

    /**
     * The outcome of a worker whose process exited with {@code exitCode}, as every launcher must read it: for
     * a Java worker, from the result file its JVM wrote (then removed, with the task file); for a program,
     * from the exit code, with the tail of its standard error. Never throws.
     */
    static WorkerOutcome ofExit(LaunchSpec spec, int exitCode) {
        return Outcomes.ofExit(spec, exitCode);
    }

    /** Exit code of the process, when it exited. */
    Integer exitCode();

    /** The peak resident memory the worker reported of itself, in KiB, when it did. */
    default Long selfPeakRssKb() {
        return null;
    }

    /** The task returned a value (null for a program that exited with 0). */
    record Returned(Object result, Integer exitCode, Long selfPeakRssKb) implements WorkerOutcome {
        public Returned(Object result, Integer exitCode) {
            this(result, exitCode, null);
        }
    }

    /** The task failed and said why: an exception, a non-zero exit code of a program, an unwritable result. */
    record Raised(ErrorInfo error, Integer exitCode, Long selfPeakRssKb) implements WorkerOutcome {
        public Raised(ErrorInfo error, Integer exitCode) {
            this(error, exitCode, null);
        }
    }

    /**
     * The process ended without a result.
     *
     * @param signal the name of the signal that ended it ({@code "KILL"}), read from an exit code above 128
     * @param stderrTail the last lines of its standard error
     */
    record Died(Integer exitCode, String signal, String stderrTail) implements WorkerOutcome {
    }

    /**
     * The cluster's resource manager ended the worker (a time limit, a node failure, a preemption) before it
     * could give a result.
     *
     * @param state what the resource manager did
     * @param exitCode the exit code it reported, when it did
     * @param detail the resource manager's own words (its message, the last lines of the worker's standard error)
     */
    record ClusterEnded(ClusterState state, Integer exitCode, String detail) implements WorkerOutcome {
    }
}
