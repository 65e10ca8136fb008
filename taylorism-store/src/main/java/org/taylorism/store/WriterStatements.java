package org.taylorism.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.stream.Collectors;
import org.taylorism.WorkerReport;
import org.taylorism.internal.JsonText;
import org.taylorism.spi.JournalEntry;

/**
 * The {@link StoreWriter}'s statements, prepared once per connection. Sets and attempts go in {@link BatchedInsert}s,
 * sent before each commit. Transactions are begun and ended by hand: the driver's own, out of auto-commit, begins the
 * next one at each commit and would keep the write lock from other Bosses.
 */
final class WriterStatements {

    private final Statement control;
    private final BatchedInsert insertSet;
    private final BatchedInsert insertAttempt;
    /** An ended attempt is written whole, over its started row if there is one: one statement, no reading. */
    private final BatchedInsert endAttempt;
    /**
     * {@link #endAttempt} for the commonest end, a worker that succeeded or failed in its own time, whose report has
     * none of the columns left out here: the driver binds each value by a call into SQLite, and these columns would be
     * eight nulls of 23 values, about a tenth of the writer's time in a probe. The columns left out are null in the row.
     */
    private final BatchedInsert endPlainAttempt;
    private final PreparedStatement finishRun;
    private final PreparedStatement heartbeat;
    /** The JSON of instructions and results: two small values per task. */
    private final JsonText json = new JsonText();

    WriterStatements(Connection connection) throws SQLException {
        control = connection.createStatement();
        insertSet = new BatchedInsert(connection, "INSERT INTO sets (run, task_id, key, position, name, worker, instructions, parent)", 8);
        insertAttempt = new BatchedInsert(connection, "INSERT INTO attempts (run, task_id, attempt, started_at, ticket, stdout, stderr)", 7);
        endAttempt = new BatchedInsert(connection, "INSERT OR REPLACE INTO attempts (run, task_id, attempt, started_at, ended_at,"
                + " end_order, status, cause, exit_code, signal, ticket, cpus, node, peak_rss_mb, stdout, stderr, hs_err_file, retried,"
                + " result, error, earlier, carried_from, left_behind)", 23);
        endPlainAttempt = new BatchedInsert(connection, "INSERT OR REPLACE INTO attempts (run, task_id, attempt, started_at, ended_at,"
                + " end_order, status, exit_code, ticket, peak_rss_mb, stdout, stderr, retried, result, left_behind)", 15);
        finishRun = connection.prepareStatement("UPDATE runs SET ended_at = ?, status = ?, error = ?, failed_worker = ?,"
                + " run_directory = COALESCE(?, run_directory), never_started_reason = ?, heartbeat_at = ? WHERE number = ?");
        heartbeat = connection.prepareStatement("UPDATE runs SET heartbeat_at = ? WHERE number = ?");
    }

    /** Takes the write lock at once (waiting for another writer), not at the first write. */
    void begin() throws SQLException {
        control.execute("BEGIN IMMEDIATE");
    }

    /**
     * Sends the rows held, then commits. The order of the four is free: no row of one depends on a row of another
     * in the same transaction (an attempt that starts and ends in it is written once, whole, as it ended).
     */
    void commit() throws SQLException {
        insertSet.flush();
        endAttempt.flush();
        endPlainAttempt.flush();
        insertAttempt.flush();
        control.execute("COMMIT");
    }

    void rollback() throws SQLException {
        insertSet.forget();
        endAttempt.forget();
        endPlainAttempt.forget();
        insertAttempt.forget();
        control.execute("ROLLBACK");
    }

    void insertSet(long run, JournalEntry.SetAccepted set, int position) throws SQLException, IOException {
        insertSet.add(run, set.taskId(), set.key(), position, set.name(), set.worker(), json.of(set.instructions()), set.parent());
    }

    void insertAttempt(long run, JournalEntry.AttemptStarted started, String stdout, String stderr) throws SQLException {
        insertAttempt.add(run, started.taskId(), started.attempt(), nanos(started.startedAt()), started.ticket(), stdout, stderr);
    }

    /** Writes an ended attempt whole: its report's columns, its result or error, its set's earlier attempts. */
    void endAttempt(long run, JournalEntry.AttemptEnded ended, int order, String stdout, String stderr) throws SQLException, IOException {
        WorkerReport report = ended.report();
        String result = report.result() == null ? null : json.of(report.result());
        if (isPlain(report)) {
            endPlainAttempt.add(run, ended.taskId(), report.attempt(), nanos(report.startedAt()), nanos(report.endedAt()), order,
                    report.status().jsonName(), report.exitCode(), report.ticket(), report.peakRssMb(), stdout, stderr,
                    ended.retried() ? 1 : 0, result, report.leftBehind());
            return;
        }
        endAttempt.add(run, ended.taskId(), report.attempt(), nanos(report.startedAt()), nanos(report.endedAt()), order,
                report.status().jsonName(), report.cause(), report.exitCode(), report.signal(), report.ticket(),
                report.cpus() == null ? null : report.cpus().stream().map(String::valueOf).collect(Collectors.joining(",")),
                report.node(), report.peakRssMb(), stdout, stderr, report.hsErrFile(), ended.retried() ? 1 : 0,
                result, report.error() == null ? null : json.of(report.error()),
                report.attempts() == null ? null : json.of(report.attempts()), report.carriedFrom(),
                report.leftBehind());
    }

    /** Whether {@code report} has none of the columns {@link #endPlainAttempt} leaves out. */
    private static boolean isPlain(WorkerReport report) {
        return report.cause() == null && report.signal() == null && report.cpus() == null && report.node() == null
                && report.hsErrFile() == null && report.error() == null && report.attempts() == null && report.carriedFrom() == null;
    }

    /** Epoch nanoseconds: an Instant's own precision, in a 64-bit integer until the year 2262. */
    static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    void finishRun(long run, long now, String status, String error, String failedWorker, String runDirectory,
                   String neverStartedReason) throws SQLException {
        finishRun.setLong(1, now);
        finishRun.setString(2, status);
        finishRun.setString(3, error);
        finishRun.setString(4, failedWorker);
        finishRun.setString(5, runDirectory);
        finishRun.setString(6, neverStartedReason);
        finishRun.setLong(7, now);
        finishRun.setLong(8, run);
        finishRun.executeUpdate();
    }

    void heartbeat(long run, long now) throws SQLException {
        heartbeat.setLong(1, now);
        heartbeat.setLong(2, run);
        heartbeat.executeUpdate();
    }
}
