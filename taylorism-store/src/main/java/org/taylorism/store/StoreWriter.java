package org.taylorism.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.PendingTask;
import org.taylorism.Report;
import org.taylorism.RunStoreException;
import org.taylorism.WorkerReport;
import org.taylorism.internal.Json;
import org.taylorism.spi.JournalEntry;

/**
 * The one thread that writes a store for this process ({@code taylorism-store-N}): it takes what the runs'
 * journals give it and writes as much as has come in one transaction (group commit), so that a busy Boss pays
 * for one commit per batch of rounds, not one per worker, and its own thread never waits for the disk. Every
 * {@link Owner#HEARTBEAT} it also says that its live runs still run.
 */
final class StoreWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    private static final AtomicInteger NUMBERS = new AtomicInteger();
    /** The most pieces of work one transaction takes: a commit now and then, even under a flood. */
    private static final int MOST_PER_TRANSACTION = 2_000;

    /** What the writer is given. */
    sealed interface Work {
        Journal journal();
    }

    record Entries(Journal journal, List<JournalEntry> entries) implements Work {
    }

    record Finish(Journal journal, Report report, CompletableFuture<Void> written) implements Work {
    }

    private record Stop() implements Work {
        @Override
        public Journal journal() {
            return null;
        }
    }

    private final Database database;
    private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    /** Writer thread only, from here on. */
    private final Set<Journal> live = new HashSet<>();
    private Connection connection;
    private Statements statements;
    private long lastHeartbeat;

    StoreWriter(Database database) {
        this.database = database;
        this.thread = new Thread(this::run, "taylorism-store-" + NUMBERS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    void submit(Work work) {
        queue.add(work);
    }

    private void run() {
        try {
            while (true) {
                Work first = queue.poll(Owner.HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
                List<Work> batch = new ArrayList<>();
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MOST_PER_TRANSACTION - 1);
                }
                boolean stop = batch.removeIf(work -> work instanceof Stop);
                write(batch);
                if (stop && queue.isEmpty()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeConnection();
        }
    }

    /** Writes one batch in one transaction, with the heartbeat when it is due; a failure fails its runs. */
    private void write(List<Work> batch) {
        long now = System.currentTimeMillis();
        boolean heartbeat = now - lastHeartbeat >= Owner.HEARTBEAT.toMillis() && !live.isEmpty();
        batch.removeIf(work -> {
            if (!work.journal().failed()) {
                return false;
            }
            if (work instanceof Finish finish) {
                finish.written().complete(null); // its failure was told already; nothing more is written for it
            }
            return true;
        });
        if (batch.isEmpty() && !heartbeat) {
            return;
        }
        try {
            Connection open = connection();
            statements.begin();
            for (Work work : batch) {
                live.add(work.journal());
                apply(work, now);
            }
            if (heartbeat) {
                for (Journal journal : live) {
                    statements.heartbeat(journal.runId(), now);
                }
                lastHeartbeat = now;
            }
            statements.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            rollback();
            Set<Journal> hit = new LinkedHashSet<>();
            batch.forEach(work -> hit.add(work.journal()));
            RunStoreException error = new RunStoreException("could not write the run store " + database.file() + ": " + e.getMessage(), e);
            hit.forEach(journal -> journal.fail(error));
            live.removeAll(hit);
            batch.forEach(work -> {
                if (work instanceof Finish finish) {
                    finish.written().completeExceptionally(error);
                }
            });
            return;
        }
        for (Work work : batch) {
            if (work instanceof Finish finish) {
                live.remove(finish.journal());
                finish.written().complete(null);
            }
        }
    }

    private void apply(Work work, long now) throws SQLException, IOException {
        Journal journal = work.journal();
        if (work instanceof Entries entries) {
            for (JournalEntry entry : entries.entries()) {
                apply(journal, entry);
            }
        } else if (work instanceof Finish finish) {
            Report report = finish.report();
            List<PendingTask> pending = report.pending();
            statements.finishRun(journal.runId(), now, report.status().jsonName(),
                    report.error() == null ? null : Json.MAPPER.writeValueAsString(report.error()), report.failedWorker(),
                    report.runDirectory(), pending.isEmpty() ? null : pending.get(0).reason());
        }
    }

    private void apply(Journal journal, JournalEntry entry) throws SQLException, IOException {
        if (entry instanceof JournalEntry.SetAccepted accepted) {
            statements.insertSet(journal.runId(), accepted, journal.nextPosition++, Json.MAPPER.writeValueAsString(accepted.instructions()));
        } else if (entry instanceof JournalEntry.AttemptStarted started) {
            statements.insertAttempt(journal.runId(), started);
        } else if (entry instanceof JournalEntry.AttemptEnded ended) {
            WorkerReport report = ended.report();
            statements.endAttempt(journal.runId(), ended, journal.nextEndOrder++, Json.MAPPER.writeValueAsString(report));
            if (!ended.retried()) {
                statements.setStatus(journal.runId(), ended.key(), report.status().jsonName());
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = database.connect();
            statements = new Statements(connection);
        }
        return connection;
    }

    private void rollback() {
        try {
            if (statements != null) {
                statements.rollback();
            }
        } catch (SQLException e) {
            log.debug("Could not roll back a failed write of {}", database.file(), e);
            closeConnection(); // a new one is opened for the next write
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("Could not close {}", database.file(), e);
            }
            connection = null;
            statements = null;
        }
    }

    /** Writes what it was given, then ends its thread; waits for it (a bounded time). */
    @Override
    public void close() {
        queue.add(new Stop());
        try {
            thread.join(TimeUnit.SECONDS.toMillis(120));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The writer's statements, prepared once per connection. Transactions are begun and ended by hand: the driver's
     * own, out of auto-commit, begins the next one at each commit and would keep the write lock from other Bosses.
     */
    private static final class Statements {
        private final Statement control;
        private final PreparedStatement insertSet;
        private final PreparedStatement insertAttempt;
        private final PreparedStatement endAttempt;
        private final PreparedStatement insertEndedAttempt;
        private final PreparedStatement setStatus;
        private final PreparedStatement finishRun;
        private final PreparedStatement heartbeat;

        Statements(Connection connection) throws SQLException {
            control = connection.createStatement();
            insertSet = connection.prepareStatement(
                    "INSERT INTO sets (run_id, key, position, task_id, name, worker, instructions) VALUES (?, ?, ?, ?, ?, ?, ?)");
            insertAttempt = connection.prepareStatement(
                    "INSERT INTO attempts (run_id, key, attempt, started_at, ticket, stdout, stderr) VALUES (?, ?, ?, ?, ?, ?, ?)");
            endAttempt = connection.prepareStatement("UPDATE attempts SET ended_at = ?, end_order = ?, status = ?, cause = ?,"
                    + " exit_code = ?, signal = ?, node = ?, peak_rss_mb = ?, retried = ?, report = ? WHERE run_id = ? AND key = ? AND attempt = ?");
            insertEndedAttempt = connection.prepareStatement("INSERT INTO attempts (ended_at, end_order, status, cause, exit_code, signal,"
                    + " node, peak_rss_mb, retried, report, run_id, key, attempt, started_at, ticket, stdout, stderr)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            setStatus = connection.prepareStatement("UPDATE sets SET status = ? WHERE run_id = ? AND key = ?");
            finishRun = connection.prepareStatement("UPDATE runs SET ended_at = ?, status = ?, error = ?, failed_worker = ?,"
                    + " run_directory = COALESCE(?, run_directory), never_started_reason = ?, heartbeat_at = ? WHERE id = ?");
            heartbeat = connection.prepareStatement("UPDATE runs SET heartbeat_at = ? WHERE id = ?");
        }

        /** Takes the write lock at once (waiting for another writer), not at the first write. */
        void begin() throws SQLException {
            control.execute("BEGIN IMMEDIATE");
        }

        void commit() throws SQLException {
            control.execute("COMMIT");
        }

        void rollback() throws SQLException {
            control.execute("ROLLBACK");
        }

        void insertSet(String runId, JournalEntry.SetAccepted set, int position, String instructions) throws SQLException {
            insertSet.setString(1, runId);
            insertSet.setString(2, set.key());
            insertSet.setInt(3, position);
            insertSet.setLong(4, set.taskId());
            insertSet.setString(5, set.name());
            insertSet.setString(6, set.worker());
            insertSet.setString(7, instructions);
            insertSet.executeUpdate();
        }

        void insertAttempt(String runId, JournalEntry.AttemptStarted started) throws SQLException {
            insertAttempt.setString(1, runId);
            insertAttempt.setString(2, started.key());
            insertAttempt.setInt(3, started.attempt());
            insertAttempt.setLong(4, started.startedAt().toEpochMilli());
            insertAttempt.setInt(5, started.ticket());
            insertAttempt.setString(6, started.stdout());
            insertAttempt.setString(7, started.stderr());
            insertAttempt.executeUpdate();
        }

        /** Ends a started attempt; an attempt never started (rejected, cancelled) is written whole. */
        void endAttempt(String runId, JournalEntry.AttemptEnded ended, int order, String json) throws SQLException {
            WorkerReport report = ended.report();
            fillEnd(endAttempt, report, ended.retried(), order, json);
            endAttempt.setString(11, runId);
            endAttempt.setString(12, ended.key());
            endAttempt.setInt(13, report.attempt());
            if (endAttempt.executeUpdate() == 0) {
                fillEnd(insertEndedAttempt, report, ended.retried(), order, json);
                insertEndedAttempt.setString(11, runId);
                insertEndedAttempt.setString(12, ended.key());
                insertEndedAttempt.setInt(13, report.attempt());
                insertEndedAttempt.setLong(14, report.startedAt().toEpochMilli());
                setNullable(insertEndedAttempt, 15, report.ticket());
                insertEndedAttempt.setString(16, report.stdout());
                insertEndedAttempt.setString(17, report.stderr());
                insertEndedAttempt.executeUpdate();
            }
        }

        private static void fillEnd(PreparedStatement statement, WorkerReport report, boolean retried, int order, String json)
                throws SQLException {
            statement.setLong(1, report.endedAt().toEpochMilli());
            statement.setInt(2, order);
            statement.setString(3, report.status().jsonName());
            statement.setString(4, report.cause());
            setNullable(statement, 5, report.exitCode());
            statement.setString(6, report.signal());
            statement.setString(7, report.node());
            if (report.peakRssMb() == null) {
                statement.setNull(8, Types.INTEGER);
            } else {
                statement.setLong(8, report.peakRssMb());
            }
            statement.setInt(9, retried ? 1 : 0);
            statement.setString(10, json);
        }

        private static void setNullable(PreparedStatement statement, int index, Integer value) throws SQLException {
            if (value == null) {
                statement.setNull(index, Types.INTEGER);
            } else {
                statement.setInt(index, value);
            }
        }

        void setStatus(String runId, String key, String status) throws SQLException {
            setStatus.setString(1, status);
            setStatus.setString(2, runId);
            setStatus.setString(3, key);
            setStatus.executeUpdate();
        }

        void finishRun(String runId, long now, String status, String error, String failedWorker, String runDirectory,
                       String neverStartedReason) throws SQLException {
            finishRun.setLong(1, now);
            finishRun.setString(2, status);
            finishRun.setString(3, error);
            finishRun.setString(4, failedWorker);
            finishRun.setString(5, runDirectory);
            finishRun.setString(6, neverStartedReason);
            finishRun.setLong(7, now);
            finishRun.setString(8, runId);
            finishRun.executeUpdate();
        }

        void heartbeat(String runId, long now) throws SQLException {
            heartbeat.setLong(1, now);
            heartbeat.setString(2, runId);
            heartbeat.executeUpdate();
        }
    }
}
