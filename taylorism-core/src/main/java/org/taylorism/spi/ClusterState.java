package org.taylorism.spi;

import org.taylorism.WorkerStatus;

/**
 * How a cluster's resource manager (Slurm) ended a worker for reasons of its own, and what that means for
 * the report: each state carries the status and the one-word cause the worker's report shows.
 */
public enum ClusterState {
    /** The job or step ran past its time limit. */
    TIMEOUT(WorkerStatus.TIMED_OUT, "timeout", "ran past its Slurm time limit"),
    /** It ran past its deadline ({@code --deadline}). */
    DEADLINE(WorkerStatus.TIMED_OUT, "deadline", "ran past its Slurm deadline"),
    /** The resource manager's memory enforcement (a cgroup OOM kill) ended it. */
    OUT_OF_MEMORY(WorkerStatus.MEMORY_EXCEEDED, "oom_killer", "was killed by Slurm for using more memory than it was granted"),
    /** The node it ran on failed or was taken down. */
    NODE_FAIL(WorkerStatus.CRASHED, "node_fail", "was lost with the node it ran on (Slurm NODE_FAIL)"),
    /** The node could not be booted for it. */
    BOOT_FAIL(WorkerStatus.CRASHED, "boot_fail", "could not start: its node failed to boot (Slurm BOOT_FAIL)"),
    /** A job of higher priority took its resources. */
    PREEMPTED(WorkerStatus.KILLED, "preempted", "was preempted by Slurm for another job"),
    /** Someone else than this Boss cancelled it (scancel, an administrator). */
    CANCELLED(WorkerStatus.KILLED, "cluster_cancelled", "was cancelled outside taylorism (scancel or an administrator)"),
    /** The job left the resource manager's queue without a final state this Boss could read. */
    LOST(WorkerStatus.CRASHED, "lost", "disappeared from Slurm's queue without a final state");

    private final WorkerStatus status;
    private final String cause;
    private final String description;

    ClusterState(WorkerStatus status, String cause, String description) {
        this.status = status;
        this.cause = cause;
        this.description = description;
    }

    /** The status a worker ended this way gets. */
    public WorkerStatus status() {
        return status;
    }

    /** The report's {@code cause}. */
    public String cause() {
        return cause;
    }

    /** What happened, as the end of a sentence that starts with "the worker". */
    public String description() {
        return description;
    }
}
