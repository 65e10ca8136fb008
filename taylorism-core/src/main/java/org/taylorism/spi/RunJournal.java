package org.taylorism.spi;

import java.nio.file.Path;
import java.util.List;
import org.taylorism.Report;

/**
 * One run's record in a {@link RunStore}, written as the run goes. Called by its Boss's thread only. Writes
 * happen in the background, a round's entries in one transaction; a write that fails is told to the Boss
 * through the callback given to {@link RunStore#begin}, never thrown here.
 */
public interface RunJournal {

    /** The run's id in its store: its directory's name, and what {@code taylorism show} takes. */
    String runId();

    /**
     * Where the run's files go: a directory named by its id, below the run's work directory or the store's
     * {@linkplain RunStore#runsDirectory() runs directory}. The store knows it from the start, so that a run
     * resumed after its Boss died finds what that Boss's workers left there.
     */
    Path runDirectory();

    /** Records what one Boss round changed, in the order it happened; returns at once. */
    void record(List<JournalEntry> entries);

    /**
     * Records the run's end with its final report, then waits until everything recorded is written (or has
     * failed to be), so that the store is complete when the Boss hands its final report out.
     */
    void finish(Report report);

    /**
     * {@link #finish(Report)}, with why the sets the report lists as pending never started, as the run says it (a
     * set may say more of its own in the report). The default ignores it.
     */
    default void finish(Report report, String neverStartedReason) {
        finish(report);
    }
}
