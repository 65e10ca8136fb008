package org.taylorism;

/** What the Boss does when a worker fails, crashes or cannot be launched. */
public enum FailurePolicy {
    /**
     * As the original: stop everything at the first failure. Running workers are killed, nothing more is
     * launched, every entry that ended is kept, and {@link Boss#waitTillFinished()} throws a
     * {@link WorkerFailedException} carrying the report.
     */
    FAIL_FAST,
    /** Run every instruction set whatever happens; failures are entries of the report like any other. */
    KEEP_GOING
}
