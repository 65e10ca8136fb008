package org.taylorism.store;

import java.time.Instant;
import java.util.Map;

/**
 * One run as {@code taylorism runs} lists it.
 *
 * @param id its id in the store
 * @param startedAt when its Boss was built
 * @param endedAt when it ended, or null while it runs
 * @param status {@code running}, {@code finished}, {@code pending}, {@code failed} or {@code interrupted}
 * @param source where its instructions came from
 * @param counts how many of its sets ended with each worker status, plus {@code unfinished} (waiting, running,
 *     or never started)
 * @param runDirectory where its workers' files are, when known
 * @param resumedFrom the id of the run it resumed, or null
 */
public record RunSummary(String id, Instant startedAt, Instant endedAt, String status, String source, Map<String, Integer> counts,
                         String runDirectory, String resumedFrom) {

    public RunSummary {
        counts = Map.copyOf(counts);
    }
}
