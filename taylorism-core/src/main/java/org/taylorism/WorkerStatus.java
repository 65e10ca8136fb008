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
    /** Stopped by the Boss: STOP_RIGHTNOW, fail-fast, {@code close()}. */
    KILLED,
    /** Never launched because the run stopped first. */
    CANCELLED;

    public boolean isSuccess() {
        return this == SUCCEEDED;
    }

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    static WorkerStatus fromJson(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
