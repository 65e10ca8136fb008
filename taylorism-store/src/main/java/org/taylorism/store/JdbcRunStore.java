package org.taylorism.store;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.Report;
import org.taylorism.RunStoreException;
import org.taylorism.WorkerReport;
import org.taylorism.internal.Json;
import org.taylorism.internal.UserDirectories;
import org.taylorism.spi.PriorRun;
import org.taylorism.spi.RunJournal;
import org.taylorism.spi.RunStart;
import org.taylorism.spi.RunStore;

/**
 * The run store: every run a Boss records here, as it goes, in an SQLite file (through JDBC; the driver carries
 * its native library, nothing to install). Open one, hand it to Bosses ({@code Boss.builder().store(store)}),
 * read runs and reports back without any Boss, and close it when done:
 *
 * <pre>{@code
 * try (JdbcRunStore store = JdbcRunStore.open(JdbcRunStore.defaultFile())) {
 *     store.runs().forEach(run -> System.out.println(run.id() + " " + run.status()));
 *     Report report = store.report("20261205-1542");
 * }
 * }</pre>
 *
 * <p>Opening it brings an older store's schema up to date (a newer one is refused) and marks
 * {@code interrupted} every run whose Boss is gone without ending it. Writes go through one background thread
 * per store ({@link StoreWriter}); reads take the store's own connection, one at a time. Several Bosses, in this
 * process or others, may record into one store at once.
 */
public final class JdbcRunStore implements RunStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JdbcRunStore.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Database database;
    private final Connection connection;
    private final StoreWriter writer;
    private final Owner owner = Owner.current();

    private JdbcRunStore(Database database, Connection connection) {
        this.database = database;
        this.connection = connection;
        this.writer = new StoreWriter(database);
    }

    /**
     * Tells {@code observer}, from the store's writer thread, how long each transaction of the run's records took
     * (a metric); null for no one. One that throws is told no more.
     */
    public void observeWrites(java.util.function.Consumer<java.time.Duration> observer) {
        writer.observeWrites(observer);
    }

    /** {@code $XDG_STATE_HOME/taylorism/runs.db}, or {@code ~/.local/state/taylorism/runs.db}. */
    public static Path defaultFile() {
        return UserDirectories.state("runs.db");
    }

    /**
     * Opens (or makes) the store in {@code file}.
     *
     * @throws RunStoreException naming the file and why, when it cannot be opened, written or read: a directory
     *     that cannot be written, a file that is not a store, a store written by a newer taylorism
     */
    public static JdbcRunStore open(Path file) {
        Database database = Database.at(file);
        Connection connection = null;
        try {
            connection = database.connect();
            Schema.migrate(connection, database.file());
            List<String> interrupted = RunReader.markInterrupted(connection);
            if (!interrupted.isEmpty()) {
                log.info("Runs whose Boss is gone without ending them, now marked interrupted: {}", interrupted);
            }
            return new JdbcRunStore(database, connection);
        } catch (SQLException e) {
            close(connection);
            throw new RunStoreException("cannot open the run store " + database.file() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(connection);
            throw e;
        }
    }

    @Override
    public String location() {
        return database.file().toString();
    }

    /** {@code runs/} beside the store's file: each run's files go in a directory named by its id. */
    @Override
    public Path runsDirectory() {
        return database.file().resolveSibling("runs");
    }

    /** Whether the store is on a network file system, where it uses SQLite's rollback journal instead of WAL. */
    public boolean onNetworkFileSystem() {
        return database.onNetwork();
    }

    /**
     * Records a new run. A run that resumes another is refused while a third resumes a run of the same lineage (the same
     * first run, through any chain of resumes) and still runs: both would run what it did not finish (the check and the
     * new row are one transaction, so two cannot both pass).
     */
    @Override
    public synchronized RunJournal begin(RunStart run, Consumer<RunStoreException> writesFailed) {
        for (int tries = 0; ; tries++) {
            String id = ID_TIME.format(run.startedAt()) + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
            Path runDirectory = (run.workDirectory() != null ? run.workDirectory() : runsDirectory()).resolve(id).toAbsolutePath().normalize();
            try {
                inTransaction(() -> {
                    if (run.resumedFrom() != null) {
                        refuseASecondResumeOf(run.resumedFrom());
                    }
                    insertRun(run, id, runDirectory);
                });
                Journal journal = new Journal(id, numberOf(id), runDirectory, writer, writesFailed);
                writer.submit(new StoreWriter.Entries(journal, List.of())); // its heartbeat begins
                return journal;
            } catch (SQLException e) {
                if (tries < 5 && e.getMessage() != null && e.getMessage().contains("UNIQUE")) {
                    continue; // two runs in the same second drew the same suffix
                }
                throw new RunStoreException("cannot write the run store " + database.file() + ": " + e.getMessage(), e);
            }
        }
    }

    private interface Writes {
        void run() throws SQLException;
    }

    /** Runs {@code writes} in one transaction that holds the store's write lock from its start. */
    private void inTransaction(Writes writes) throws SQLException {
        try (Statement control = connection.createStatement()) {
            control.execute("BEGIN IMMEDIATE");
            try {
                writes.run();
                control.execute("COMMIT");
            } catch (Throwable e) { // an Error too: left open, the transaction would hold the store's write lock
                Schema.rollBack(control, e);
                throw e;
            }
        }
    }

    private void refuseASecondResumeOf(String resumed) throws SQLException {
        List<String> resumers = RunReader.liveResumersInLineageOf(connection, resumed);
        if (!resumers.isEmpty()) {
            throw new RunStoreException("run " + resumed + " is being resumed already, by run " + String.join(", ", resumers)
                    + " (itself, or a run that resumes it or that it resumes): two resumes at once would both run what it did"
                    + " not finish; wait for that run to end, then resume it");
        }
    }

    private void insertRun(RunStart run, String id, Path runDirectory) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO runs (id, started_at, status, source, scheduler,"
                + " halt_policy, retry_policy, options, host, pid, pid_started_at, heartbeat_at, run_directory, resumed_from,"
                + " pid_start_ticks, boot_id) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setLong(2, run.startedAt().toEpochMilli());
            insert.setString(3, run.source());
            insert.setString(4, run.scheduler());
            insert.setString(5, run.haltPolicy());
            insert.setString(6, run.retryPolicy());
            insert.setString(7, Json.MAPPER.writeValueAsString(run.options()));
            insert.setString(8, owner.host());
            insert.setLong(9, owner.pid());
            insert.setObject(10, owner.startedAtMillis());
            insert.setLong(11, System.currentTimeMillis());
            insert.setString(12, runDirectory.toString());
            insert.setString(13, run.resumedFrom());
            insert.setObject(14, owner.startTicks());
            insert.setString(15, owner.bootId());
            insert.executeUpdate();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long numberOf(String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT number FROM runs WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Every run of the store, oldest first. */
    public synchronized List<RunSummary> runs() {
        try {
            RunReader.markInterrupted(connection);
            return RunReader.summaries(connection);
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /**
     * The id of the run {@code idOrPrefix} names: its id, or a prefix only one run's id has.
     *
     * @throws RunStoreException when no run, or several, match
     */
    public synchronized String resolve(String idOrPrefix) {
        try {
            return RunReader.resolve(connection, idOrPrefix, database.file());
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /**
     * The report of a run ({@link #resolve its id, or a prefix}), rebuilt from the store: for a run that ended,
     * the report its Boss handed out; for one that goes on, or was interrupted, what it had come to (status
     * {@code interim} or {@code interrupted}, with what ran and what never started).
     */
    public synchronized Report report(String idOrPrefix) {
        try {
            RunReader.markInterrupted(connection);
            return RunReader.report(connection, RunReader.resolve(connection, idOrPrefix, database.file()));
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /**
     * {@inheritDoc} Everything recorded before this call is written first (the writer is waited for, at most a
     * minute), so a Boss that let go of a report it recorded can count on the store to have it.
     */
    @Override
    public Map<String, WorkerReport> endedReports(String runId, Collection<String> names) {
        awaitWriter();
        synchronized (this) {
            try {
                return RunReader.endedReports(connection, runId, names);
            } catch (SQLException e) {
                throw readFailed(e);
            }
        }
    }

    /**
     * Writes the report of a run ({@link #resolve its id, or a prefix}) to {@code out}, as {@link #report} would make
     * it, streamed from the store: what a Boss that let go of its ended reports hands out. Everything recorded before
     * this call is written first (the writer is waited for, at most a minute). It reads through a connection of its
     * own, in one read transaction (one state of the store, whatever is written or removed meanwhile), not under the
     * store's lock: {@code out} may be slow to take what it is given (a pipe to a pager), and the store's other
     * callers, its Boss among them, do not wait for it. (On a network file system, where the store keeps a rollback
     * journal instead of WAL, a reader holds writers off until it is done: there, a reader slow for over 30 s fails
     * the runs that write meanwhile.)
     */
    public void writeReport(String idOrPrefix, OutputStream out) throws IOException {
        awaitWriter();
        try (Connection reading = database.connect()) {
            reading.setAutoCommit(false);
            try {
                RunReader.writeReport(reading, RunReader.resolve(reading, idOrPrefix, database.file()), out);
            } finally {
                reading.rollback(); // it only read
            }
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /** Waits, at most a minute, for what was handed to the writer before this call to be written. */
    private void awaitWriter() {
        CompletableFuture<Void> written = new CompletableFuture<>();
        writer.submit(new StoreWriter.Barrier(written));
        try {
            written.get(1, TimeUnit.MINUTES);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("The run store's writer did not catch up within a minute; reading {} as it is", database.file());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunStoreException("interrupted while waiting for the run store " + database.file(), e);
        }
    }

    /**
     * What run {@code idOrPrefix} left, for a run that resumes it: its sets, each with its last report or how far
     * it got.
     *
     * @throws RunStoreException when there is no such run, or its Boss still runs it
     */
    @Override
    public synchronized PriorRun prior(String idOrPrefix) {
        try {
            RunReader.markInterrupted(connection);
            return RunReader.prior(connection, RunReader.resolve(connection, idOrPrefix, database.file()));
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    @Override
    public synchronized Optional<String> latestRunOf(String source) {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM runs WHERE source = ? ORDER BY started_at DESC, number DESC LIMIT 1")) {
            select.setString(1, source);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /** Writes a run's report in {@code format}: GNU parallel's joblog, CSV, or JSON (the report itself). */
    public void export(String idOrPrefix, ExportFormat format, PrintWriter out) {
        Report report = report(idOrPrefix);
        switch (format) {
            case JOBLOG -> Exports.joblog(report, out);
            case CSV -> Exports.csv(report, out);
            case JSON -> out.println(report.toJson());
        }
        out.flush();
    }

    /** The formats of {@link #export}. */
    public enum ExportFormat {
        /** GNU parallel's {@code --joblog} layout. */
        JOBLOG,
        /** One row per set. */
        CSV,
        /** The report. */
        JSON
    }

    /**
     * Removes the runs that started more than {@code olderThan} ago and no longer run, with their run
     * directories (only a directory named by the run's id, which is the run's own). Returns their ids. A run that a run
     * kept resumes, or whose reports it carries over, is kept too, with its files.
     */
    public synchronized List<String> gc(Duration olderThan) {
        List<RunSummary> removed = new ArrayList<>();
        try {
            // One transaction: a run resumed or carried from by another process's run in the meantime is not lost.
            inTransaction(() -> {
                RunReader.markInterrupted(connection);
                long before = Instant.now().minus(olderThan).toEpochMilli();
                List<RunSummary> runs = RunReader.summaries(connection);
                Set<String> kept = new HashSet<>();
                runs.stream().filter(run -> run.startedAt().toEpochMilli() >= before || run.status().equals("running"))
                        .forEach(run -> kept.add(run.id()));
                keepWhatTheyShow(kept);
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM runs WHERE id = ?")) {
                    for (RunSummary run : runs) {
                        if (!kept.contains(run.id())) {
                            delete.setString(1, run.id());
                            delete.executeUpdate();
                            removed.add(run);
                        }
                    }
                }
            });
        } catch (SQLException e) {
            throw new RunStoreException("cannot remove old runs from the run store " + database.file() + ": " + e.getMessage(), e);
        }
        // Only once their rows are gone: a run that could not be deleted keeps its files.
        removed.forEach(JdbcRunStore::deleteRunDirectory);
        return removed.stream().map(RunSummary::id).toList();
    }

    /**
     * Adds to {@code kept} the runs that the runs in it resume or carry reports from (a report carried over names the
     * output files of the run its set ran in; a run still going carries more as it goes), and theirs in turn: their files
     * stay while a kept run shows them.
     */
    private void keepWhatTheyShow(Set<String> kept) throws SQLException {
        Map<String, Set<String>> carriedFrom = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT DISTINCT runs.id, attempts.carried_from FROM attempts"
                + " JOIN runs ON runs.number = attempts.run WHERE attempts.carried_from IS NOT NULL"
                + " UNION SELECT id, resumed_from FROM runs WHERE resumed_from IS NOT NULL");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                carriedFrom.computeIfAbsent(rows.getString(1), run -> new HashSet<>()).add(rows.getString(2));
            }
        }
        List<String> toVisit = new ArrayList<>(kept);
        while (!toVisit.isEmpty()) {
            for (String origin : carriedFrom.getOrDefault(toVisit.remove(toVisit.size() - 1), Set.of())) {
                if (kept.add(origin)) {
                    toVisit.add(origin);
                    log.info("Run {} is kept: a run kept resumes it or shows reports of it, and their files", origin);
                }
            }
        }
    }

    private static void deleteRunDirectory(RunSummary run) {
        if (run.runDirectory() == null) {
            return;
        }
        Path directory = Path.of(run.runDirectory());
        if (!directory.getFileName().toString().equals(run.id()) || !Files.isDirectory(directory)) {
            return; // not the run's own directory: left alone
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not remove all of {}: {}", directory, e.getMessage());
        }
    }

    private RunStoreException readFailed(SQLException e) {
        return new RunStoreException("cannot read the run store " + database.file() + ": " + e.getMessage(), e);
    }

    /** Writes what it was given, then lets its thread and connection go. */
    @Override
    public synchronized void close() {
        writer.close();
        close(connection);
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("Could not close a connection to the run store", e);
            }
        }
    }
}
