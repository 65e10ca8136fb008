package org.taylorism;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a set of an earlier run stands when a run resumes it: how its last attempt ended, or that it never ended.
 * A {@link ResumePolicy} says what a resumed run does with each.
 */
public enum PriorOutcome {
    SUCCEEDED,
    FAILED,
    CRASHED,
    KILLED,
    CANCELLED,
    TIMED_OUT,
    MEMORY_EXCEEDED,
    /** An attempt started and its end was never recorded: its Boss died while it ran, and it left no result. */
    INTERRUPTED,
    /** Accepted, never launched: still waiting when its run ended or died. */
    NEVER_STARTED;

    private final String jsonName = name().toLowerCase(Locale.ROOT);

    /** The outcome of a set whose last attempt ended so. */
    public static PriorOutcome of(WorkerStatus status) {
        return valueOf(status.name());
    }

    /** As the command line and JSON write it: {@code timed_out}, {@code never_started}. */
    public String jsonName() {
        return jsonName;
    }

    /**
     * The outcome written {@code name} ({@code failed}, {@code never_started}...).
     *
     * @throws IllegalArgumentException naming it and the outcomes there are
     */
    public static PriorOutcome ofJsonName(String name) {
        for (PriorOutcome outcome : values()) {
            if (outcome.jsonName.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not an outcome; they are "
                + Arrays.stream(values()).map(PriorOutcome::jsonName).collect(Collectors.joining(", ")));
    }
}
