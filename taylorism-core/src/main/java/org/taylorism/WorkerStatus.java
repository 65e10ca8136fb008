package org.taylorism;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a worker ended. */
public enum WorkerStatus {
    /** {@code task()} returned, or the command exited with 0. */
    SUCCEEDED,
    /** {@code task()} threw, the command exited with another code, or the result could not be written. */
    FAILED,
    /** The process died without a result: crash, {@code System.exit}, a signal nobody in taylorism sent. */
    CRASHED,
    /** Stopped by the Boss: STOP_RIGHTNOW, a halt policy, {@code close()}. */
    KILLED,
    /** Cancelled by name ({@link Boss#cancel}), before or while it ran. */
    CANCELLED,
    /** Stopped because it ran longer than its {@code timeout}, or wrote nothing for its {@code stall_timeout}. */
    TIMED_OUT,
    /** Stopped because its process tree used more memory than it declared, times the Boss's tolerance. */
    MEMORY_EXCEEDED;

    /** Made once: the Boss names a status at every worker's end, in its debug line and its counts. */
    private final String jsonName = name().toLowerCase(Locale.ROOT);

    /** Whether this ending counts as a failure for halt policies and retries (a stop by the Boss does not). */
    public boolean isFailure() {
        return this == FAILED || this == CRASHED || this == TIMED_OUT || this == MEMORY_EXCEEDED;
    }

    public boolean isSuccess() {
        return this == SUCCEEDED;
    }

    @JsonValue
    public String jsonName() {
        return jsonName;
    }

    @JsonCreator
    static WorkerStatus fromJson(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
