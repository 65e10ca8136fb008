package org.taylorism.internal.engine;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.taylorism.ErrorInfo;
import org.taylorism.Report;
import org.taylorism.RunStatus;
import org.taylorism.RunStoreException;
import org.taylorism.Task;
import org.taylorism.WorkerReport;
import org.taylorism.spi.JournalEntry;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.RunJournal;

/**
 * What the run store hears of the run: the Dispatcher tells it each change as it happens, and hands the
 * round's changes to the store's journal at the end of each batch, in one go. It gives each set its stable
 * key: the digest {@link Intake} made of it, and its position among the run's identical sets; attempts name
 * their set by its task id. Without a store, {@link #NONE} records nothing. Boss thread only.
 */
final class Recorder {

    /** Records nothing: the Boss has no run store. */
    static final Recorder NONE = new Recorder(null, new AtomicReference<>());

    private final RunJournal journal;
    /**
     * The store's first failure, set by whichever thread its journal tells it on (the Boss hears it through its inbox
     * too, but not once the run is over, nor as the reason of a run aborted already for another).
     */
    private final AtomicReference<RunStoreException> failure;
    private final List<JournalEntry> round = new ArrayList<>();
    /** How many sets of each digest (its 64 bits) the run has had: the next one's position. */
    private final LongCounts seen = new LongCounts();

    Recorder(RunJournal journal, AtomicReference<RunStoreException> failure) {
        this.journal = journal;
        this.failure = failure;
    }

    /** Whether the store failed: what it was given since may not be in it. */
    boolean storeFailed() {
        return failure.get() != null;
    }

    /** The run's id in its store, or null without one. */
    String runId() {
        return journal == null ? null : journal.runId();
    }

    /** Where the run's files go, as its store decided; null without a store. */
    Path runDirectory() {
        return journal == null ? null : journal.runDirectory();
    }

    /**
     * Sets were accepted, sub-tasks of {@code parent} when it is not null; {@code digests} are Intake's, one per task.
     * Returns their keys (none without a store).
     */
    List<String> accepted(List<Task> tasks, List<String> digests, Task parent) {
        if (journal == null) {
            return List.of();
        }
        List<String> accepted = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            Task task = tasks.get(i);
            String digest = digests.get(i);
            String key = digest + "-" + seen.increment(Long.parseUnsignedLong(digest, 16));
            accepted.add(key);
            round.add(new JournalEntry.SetAccepted(key, task.id(), task.name(), task.type().name(), task.instructions(),
                    parent == null ? null : parent.name()));
        }
        return accepted;
    }

    void started(Task task, LaunchSpec spec, Instant startedAt) {
        if (journal != null) {
            round.add(new JournalEntry.AttemptStarted(task.id(), task.attempt(), startedAt, spec.ticket(),
                    spec.stdout().toString(), spec.stderr().toString()));
        }
    }

    /** An attempt ended; {@code retried} when another follows. */
    void ended(Task task, WorkerReport report, boolean retried) {
        if (journal != null) {
            round.add(new JournalEntry.AttemptEnded(task.id(), report, retried));
        }
    }

    /** Hands what this round changed to the journal: its writer makes it durable in one transaction. */
    void endOfRound() {
        if (journal != null && !round.isEmpty()) {
            journal.record(List.copyOf(round));
            round.clear();
        }
    }

    /**
     * The run is over: the rest of the round, then its end, are written before this returns. Returns the report to give
     * out: {@code report}, or, when the store failed and {@code report} does not say so (it failed writing the end, or
     * after the run was aborted for another reason, which its error names), that of a run failed by its store.
     *
     * @param neverStartedReason why the run's pending sets never started, or null
     */
    Report finish(Report report, String neverStartedReason) {
        if (journal == null) {
            return report;
        }
        endOfRound();
        journal.finish(report, neverStartedReason);
        RunStoreException failed = failure.get();
        if (failed == null || report.error() != null && report.error().is(RunStoreException.class)) {
            return report;
        }
        RunStoreException told = report.error() == null ? failed
                : new RunStoreException(failed.getMessage() + " (the run had been aborted before: " + report.error().message() + ")", failed);
        return new Report(report.schemaVersion(), RunStatus.FAILED, report.counts(), report.workers(), report.pending(),
                report.running(), ErrorInfo.of(told), report.failedWorker(), report.runDirectory(), report.runId(), report.notHeld());
    }
}
