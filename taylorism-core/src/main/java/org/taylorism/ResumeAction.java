package org.taylorism;

import java.util.Locale;

/** What a resumed run does with a set of the run it resumes. */
public enum ResumeAction {
    /** Not run again: its last report goes into the new run's report (a set that never ended is reported not run). */
    SKIP,
    /** Run again, as a new set. */
    RERUN;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
