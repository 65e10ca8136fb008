package org.taylorism.spi;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an earlier run left, as a store gives it to a run that resumes it.
 *
 * @param runId its id
 * @param runDirectory where its files are (its workers' output and result files), or null when it never had one
 * @param sets its sets by key, in submission order
 * @param resumedFrom the id of the run it resumed, or null
 */
public record PriorRun(String runId, Path runDirectory, Map<String, PriorSet> sets, String resumedFrom) {

    public PriorRun {
        sets = Collections.unmodifiableMap(new LinkedHashMap<>(sets));
    }

    /** A run that resumed none. */
    public PriorRun(String runId, Path runDirectory, Map<String, PriorSet> sets) {
        this(runId, runDirectory, sets, null);
    }
}
