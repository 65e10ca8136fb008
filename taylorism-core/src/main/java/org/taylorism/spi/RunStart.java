package org.taylorism.spi;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * What a store records of a run when it begins.
 *
 * @param startedAt when the Boss was built
 * @param source where its instructions come from: a batch file, {@code -} for standard input, or what the
 *     application says ({@code java} by default)
 * @param scheduler the scheduler's name
 * @param haltPolicy the halt policy, as {@code --halt} writes it
 * @param retryPolicy the retry policy, in words
 * @param options the options the run was started with (the command line's, by their names), for looking back
 * @param workDirectory the directory the run's own directory goes below, or null for the store's
 *     {@link RunStore#runsDirectory()}
 * @param resumedFrom the id of the run this one resumes, or null
 */
public record RunStart(Instant startedAt, String source, String scheduler, String haltPolicy, String retryPolicy,
                       Map<String, String> options, Path workDirectory, String resumedFrom) {

    public RunStart {
        options = Map.copyOf(options);
    }
}
