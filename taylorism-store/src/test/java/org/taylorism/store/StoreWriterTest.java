package org.taylorism.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.taylorism.testing.Awaits.await;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.ErrorInfo;
import org.taylorism.PendingTask;
import org.taylorism.Report;
import org.taylorism.RunStoreException;
import org.taylorism.RunningReport;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.spi.JournalEntry;
import org.taylorism.spi.RunJournal;
import org.taylorism.spi.RunStart;

/**
 * The writer on real SQLite, fed through a run's journal as a Boss feeds it: many rows in one transaction go out
 * {@link BatchedInsert#ROWS} to a statement and the rest in a smaller one, and read back row for row.
 */
class StoreWriterTest {

    @TempDir
    Path directory;

    /** More than two full statements' worth and a rest, for each kind of row. */
    private static final int SETS = 2 * BatchedInsert.ROWS + 11;

    @Test
    void whatARunRecordsOnceItsStoreIsClosedFailsTheRunAtOnceInsteadOfBeingWaitedFor() {
        AtomicReference<RunStoreException> failed = new AtomicReference<>();
        JdbcRunStore store = JdbcRunStore.open(directory.resolve("runs.db"));
        RunJournal journal = store.begin(new RunStart(Instant.now(), "test", "max-threads", "keep-going", "none", Map.of(),
                directory, null), failed::set);
        store.close();

        journal.finish(Report.of(org.taylorism.RunStatus.FINISHED, List.of(), List.of(), List.of(), null, null, directory,
                journal.runId()));
        assertNotNull(failed.get(), "its Boss is told");
        assertEquals("the run store " + directory.resolve("runs.db") + " was closed before it could write what run "
                + journal.runId() + " recorded", failed.get().getMessage());
    }

    @Test
    void theRunKeepsTheReasonItGivesForItsSetsThatNeverStartedNotTheFirstSetsOwn() {
        String stopped = "never started: the Boss stopped listening (STOP_LISTENING)";
        String queued = "queued to start in the process of a when the Boss stopped listening (STOP_LISTENING), and not taken"
                + " back in time: it may still run there, unwatched";
        try (JdbcRunStore store = JdbcRunStore.open(directory.resolve("runs.db"))) {
            AtomicReference<RunStoreException> failed = new AtomicReference<>();
            RunJournal journal = store.begin(new RunStart(Instant.now(), "test", "max-threads", "keep-going", "none", Map.of(),
                    directory, null), failed::set);
            journal.record(List.of(new JournalEntry.SetAccepted("kb", 1, "b", "echo", Map.of()),
                    new JournalEntry.SetAccepted("kc", 2, "c", "echo", Map.of())));
            journal.finish(Report.of(org.taylorism.RunStatus.PENDING, List.of(), List.of(pending("b", queued), pending("c", stopped)),
                    List.of(), null, null, directory, journal.runId()), stopped);

            assertNull(failed.get());
            assertEquals(List.of(stopped, stopped), store.report(journal.runId()).pending().stream().map(PendingTask::reason).toList());
        }
    }

    private static PendingTask pending(String name, String reason) {
        return new PendingTask(name, "echo", Map.of(), reason);
    }

    @Test
    void manyRowsInOneTransactionReadBackRowForRow() throws Exception {
        try (JdbcRunStore store = JdbcRunStore.open(directory.resolve("runs.db"))) {
            AtomicReference<RunStoreException> failed = new AtomicReference<>();
            RunJournal journal = store.begin(new RunStart(Instant.now(), "test", "max-threads", "keep-going", "none", Map.of(),
                    directory, null), failed::set);
            String runDirectory = journal.runDirectory().toString();
            List<JournalEntry> accepted = new ArrayList<>();
            List<JournalEntry> started = new ArrayList<>();
            for (int task = 1; task <= 2 * SETS; task++) {
                accepted.add(new JournalEntry.SetAccepted("k" + task, task, "set-" + task, "echo", instructions(task)));
                started.add(new JournalEntry.AttemptStarted(task, 1, Instant.ofEpochSecond(1_000, task), task % 3,
                        runDirectory + "/" + task + ".stdout", runDirectory + "/" + task + ".stderr"));
            }
            List<JournalEntry> ended = new ArrayList<>();
            for (int task = 1; task <= SETS; task++) {
                ended.add(new JournalEntry.AttemptEnded(task, report(runDirectory, task), false));
            }
            // In one round, as a Boss hands them over: one transaction, where an attempt that ended is written whole.
            List<JournalEntry> round = new ArrayList<>(accepted);
            round.addAll(started);
            round.addAll(ended);
            journal.record(round);

            String id = journal.runId();
            await().until(() -> failed.get() != null || store.report(id).running().size() == SETS);
            assertNull(failed.get());
            Report report = store.report(id);
            List<WorkerReport> expected = new ArrayList<>();
            for (int task = 1; task <= SETS; task++) {
                expected.add(report(runDirectory, task));
            }
            assertEquals(expected, report.workers(), "each ended attempt whole, in the order they ended");
            RunningReport lastRunning = report.running().get(SETS - 1);
            assertEquals("set-" + 2 * SETS, lastRunning.name());
            assertEquals(2 * SETS % 3, lastRunning.ticket());
            assertEquals(Instant.ofEpochSecond(1_000, 2 * SETS), lastRunning.startedAt());
            assertEquals(List.of(), report.pending());
        }
    }

    /** A set's instructions; a lone UTF-16 surrogate in some text, which SQLite's UTF-8 would turn into '?' if written raw. */
    private static Map<String, Object> instructions(int task) {
        return Map.of("name", "set-" + task, "n", task, "tag", "\uDBFF");
    }

    /** Odd tasks succeed with a result, even ones fail with an error. */
    private static WorkerReport report(String runDirectory, int task) {
        boolean succeeded = task % 2 == 1;
        Instant startedAt = Instant.ofEpochSecond(1_000, task);
        return new WorkerReport("set-" + task, "echo", succeeded ? WorkerStatus.SUCCEEDED : WorkerStatus.FAILED,
                succeeded ? null : "exception", instructions(task), succeeded ? Map.of("echo", List.of(task), "text", "lone \uD800 high") : null,
                succeeded ? null : new ErrorInfo("java.lang.IllegalStateException", "task " + task + " lone \uDC00 low", null), succeeded ? 0 : 1, null,
                task % 3, null, null, startedAt, startedAt.plusMillis(task), task, runDirectory + "/" + task + ".stdout",
                runDirectory + "/" + task + ".stderr", null, null, 1, null);
    }
}
