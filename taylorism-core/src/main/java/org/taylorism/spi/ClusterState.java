package org.taylorism.spi;

import org.taylorism.Cause;
import org.taylorism.WorkerStatus;

/**
 * How a cluster's resource manager (Slurm) ended a worker for reasons of its own, and what that means for
 * the report: each state carries the status and the one-word cause the worker's report shows.
 */
public enum ClusterState {
    /** The job or step ran past its time limit. */
    TIMEOUT(WorkerStatus.TIMED_OUT, Cause.TIMEOUT, "ran past its Slurm time limit"),
    /** It ran past its deadline ({@code --deadline}). */
    DEADLINE(WorkerStatus.TIMED_OUT, Cause.DEADLINE, "ran past its Slurm deadline"),
    /**
     * The resource manager's memory enforcement (a cgroup OOM kill) ended it: memory exceeded for sure, where a
     * local SIGKILL during an OOM kill is only likely to be one ({@code crashed}).
     */
    OUT_OF_MEMORY(WorkerStatus.MEMORY_EXCEEDED, Cause.OOM_KILLER, "was killed by Slurm for using more memory than it was granted"),
    /** The node it ran on failed or was taken down. */
    NODE_FAIL(WorkerStatus.CRASHED, Cause.NODE_FAIL, "was lost with the node it ran on (Slurm NODE_FAIL)"),
    /** The node could not be booted for it. */
    BOOT_FAIL(WorkerStatus.CRASHED, Cause.BOOT_FAIL, "could not start: its node failed to boot (Slurm BOOT_FAIL)"),
    /** A job of higher priority took its resources. */
    PREEMPTED(WorkerStatus.KILLED, Cause.PREEMPTED, "was preempted by Slurm for another job"),
    /** Someone else than this Boss cancelled it (scancel, an administrator). */
    CANCELLED(WorkerStatus.KILLED, Cause.CLUSTER_CANCELLED, "was cancelled outside taylorism (scancel or an administrator)"),
    /** The job left the resource manager's queue without a final state this Boss could read. */
    LOST(WorkerStatus.CRASHED, Cause.LOST, "disappeared from Slurm's queue without a final state");

    private final WorkerStatus status;
    private final Cause cause;
    private final String description;

    ClusterState(WorkerStatus status, Cause cause, String description) {
        this.status = status;
        this.cause = cause;
        this.description = description;
    }

    /** The status a worker ended this way gets. */
    public WorkerStatus status() {
        return status;
    }

    /** The report's {@code cause}. */
    public Cause cause() {
        return cause;
    }

    /** What happened, as the end of a sentence that starts with "the worker". */
    public String description() {
        return description;
    }
}
