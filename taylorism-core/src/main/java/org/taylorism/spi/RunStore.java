package org.taylorism.spi;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.taylorism.RunStoreException;
import org.taylorism.WorkerReport;

/**
 * Where a Boss records its run as it goes, so that the run outlives the Boss: its instruction sets, each
 * attempt and each result or error. A Boss given a store ({@code Boss.Builder.store}) begins its run there
 * when it is built, records what each of its rounds changed, and finishes it with its final report.
 * Implementations are thread-safe: several Bosses may record into one store at once.
 */
public interface RunStore {

    /** Where the store is (a path), for messages. */
    String location();

    /** Where a run's files go when the Boss is given no run directory: a directory per run, named by its id, below it. */
    Path runsDirectory();

    /**
     * Starts recording a new run and returns its journal.
     *
     * @param writesFailed told once, from any thread, when a later write fails: the Boss then launches nothing
     *     more, lets its running workers finish, and ends the run failed with that error
     * @throws RunStoreException naming the store and why, when it cannot be written
     */
    RunJournal begin(RunStart run, Consumer<RunStoreException> writesFailed);

    /**
     * What run {@code runId} (its id, or a prefix only it has) left, for a run that resumes it.
     *
     * @throws RunStoreException when there is no such run, or it still runs (its Boss is alive)
     */
    PriorRun prior(String runId);

    /** The id of the latest run recorded with this {@linkplain RunStart#source() source}, if there is one. */
    Optional<String> latestRunOf(String source);

    /**
     * The reports of the ended sets called {@code names} in run {@code runId} (each one's last attempt), as recorded
     * by the time this is called; sets yet to end, and names not in the run, are left out. A server answers with
     * them for the sets whose reports its Boss let go of. Default: none (a store that cannot read reports back).
     *
     * @throws RunStoreException when the store cannot be read, or has no such run
     */
    default Map<String, WorkerReport> endedReports(String runId, Collection<String> names) {
        return Map.of();
    }
}
