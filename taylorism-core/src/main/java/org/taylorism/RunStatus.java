package org.taylorism;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The state of a run as a report shows it. */
public enum RunStatus {
    /** An interim report: the run goes on. */
    INTERIM,
    /** Every instruction set was run (each worker's own status says how it ended). */
    FINISHED,
    /** The run stopped with instruction sets never started; they are listed in the report. */
    PENDING,
    /** The run was aborted: a worker failed under fail-fast, or the scheduler, the Boss or its run store broke. */
    FAILED,
    /**
     * The Boss died while the run went on (a SIGKILL, a crash, a power loss): the report was rebuilt from its
     * run store, which said so the next time it was opened.
     */
    INTERRUPTED;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    static RunStatus fromJson(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
