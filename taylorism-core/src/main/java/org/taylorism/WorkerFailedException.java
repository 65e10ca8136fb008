package org.taylorism;

/**
 * A worker failed under the fail-fast policy, and the run was stopped. The message names the worker and its
 * error's type and message; {@link #failure()} has the whole entry, stack trace included.
 */
public class WorkerFailedException extends RunFailedException {

    private final transient WorkerReport failure;

    public WorkerFailedException(Report report, WorkerReport failure) {
        super("worker '" + failure.name() + "' (" + failure.worker() + ") " + failure.status().jsonName()
                + (failure.error() == null ? "" : ": " + failure.error().oneLine()), report);
        this.failure = failure;
    }

    /** The report of the worker that failed. */
    public WorkerReport failure() {
        return failure;
    }
}
