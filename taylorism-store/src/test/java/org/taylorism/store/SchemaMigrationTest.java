package org.taylorism.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.AttemptReport;
import org.taylorism.Report;
import org.taylorism.RunStoreException;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.spi.PriorRun;
import org.taylorism.spi.PriorSet;

/** A store written by an earlier taylorism is brought up to date when opened, and reads back as it did. */
class SchemaMigrationTest {

    @TempDir
    Path directory;

    /**
     * The tables as schema 2 made them, keyed by the set's key, with one finished run: a set that failed once and then
     * succeeded, a set that succeeded, and a set that never started.
     */
    private static final List<String> SCHEMA_2_STORE = List.of(
            "CREATE TABLE runs (number INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, started_at INTEGER NOT NULL, ended_at INTEGER,"
                    + " status TEXT NOT NULL, source TEXT, scheduler TEXT, halt_policy TEXT, retry_policy TEXT, options TEXT,"
                    + " run_directory TEXT, resumed_from TEXT, host TEXT NOT NULL, pid INTEGER NOT NULL, pid_started_at INTEGER,"
                    + " heartbeat_at INTEGER NOT NULL, error TEXT, failed_worker TEXT, never_started_reason TEXT)",
            "CREATE INDEX runs_by_start ON runs (started_at)",
            "CREATE TABLE sets (run INTEGER NOT NULL REFERENCES runs (number) ON DELETE CASCADE, key TEXT NOT NULL,"
                    + " position INTEGER NOT NULL, task_id INTEGER NOT NULL, name TEXT NOT NULL, worker TEXT NOT NULL,"
                    + " instructions TEXT NOT NULL, parent TEXT, PRIMARY KEY (run, key))",
            "CREATE TABLE attempts (run INTEGER NOT NULL REFERENCES runs (number) ON DELETE CASCADE, key TEXT NOT NULL,"
                    + " attempt INTEGER NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER, end_order INTEGER, status TEXT, cause TEXT,"
                    + " exit_code INTEGER, signal TEXT, ticket INTEGER, cpus TEXT, node TEXT, peak_rss_mb INTEGER, stdout TEXT,"
                    + " stderr TEXT, hs_err_file TEXT, retried INTEGER NOT NULL DEFAULT 0, result TEXT, error TEXT, earlier TEXT,"
                    + " carried_from TEXT, left_behind INTEGER, PRIMARY KEY (run, key, attempt))",
            "PRAGMA user_version = 2",
            "INSERT INTO runs (number, id, started_at, ended_at, status, host, pid, heartbeat_at, never_started_reason)"
                    + " VALUES (1, '20261201-120000-abcd', 1000, 9000, 'finished', 'h', 1, 9000, 'never started: the Boss was stopped')",
            "INSERT INTO sets VALUES (1, 'f00d-1', 0, 7, 'flaky', 'echo', '{\"name\":\"flaky\"}', NULL)",
            "INSERT INTO sets VALUES (1, 'beef-1', 1, 8, 'plain', 'echo', '{\"name\":\"plain\"}', NULL)",
            "INSERT INTO sets VALUES (1, 'cafe-1', 2, 9, 'later', 'echo', '{\"name\":\"later\"}', NULL)",
            "INSERT INTO attempts (run, key, attempt, started_at, ended_at, end_order, status, cause, ticket, retried, error)"
                    + " VALUES (1, 'f00d-1', 1, 1000000000, 2000000000, 0, 'failed', 'exception', 1, 1,"
                    + " '{\"type\":\"java.io.IOException\",\"message\":\"network\"}')",
            "INSERT INTO attempts (run, key, attempt, started_at, ended_at, end_order, status, ticket, retried, result, earlier)"
                    + " VALUES (1, 'f00d-1', 2, 3000000000, 4000000000, 2, 'succeeded', 1, 0, '{\"x\":1}',"
                    + " '[{\"attempt\":1,\"status\":\"failed\",\"cause\":\"exception\"}]')",
            "INSERT INTO attempts (run, key, attempt, started_at, ended_at, end_order, status, ticket, retried, result)"
                    + " VALUES (1, 'beef-1', 1, 1500000000, 2500000000, 1, 'succeeded', 2, 0, '\"b\"')");

    private Path schema2Store() throws Exception {
        Path file = Files.createDirectories(directory.resolve("old")).resolve("runs.db");
        execute(file, SCHEMA_2_STORE);
        return file;
    }

    private static void execute(Path file, List<String> statements) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static int version(Path file) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
            assertTrue(rows.next());
            return rows.getInt(1);
        }
    }

    @Test
    void aSchema2StoreIsKeyedByTaskIdAndReadsBackTheSame() throws Exception {
        Path file = schema2Store();

        try (JdbcRunStore store = JdbcRunStore.open(file)) {
            String id = "20261201-120000-abcd";
            Report report = store.report(id);
            assertEquals(List.of("plain", "flaky"), report.workers().stream().map(WorkerReport::name).toList(), "in the order they ended");
            WorkerReport flaky = report.worker("flaky").orElseThrow();
            assertEquals(2, flaky.attempt());
            assertEquals(Map.of("x", 1), flaky.result());
            assertEquals(List.of(WorkerStatus.FAILED), flaky.attempts().stream().map(AttemptReport::status).toList());
            assertEquals("b", report.worker("plain").orElseThrow().result());
            assertEquals(List.of("later"), report.pendingNames());

            PriorRun prior = store.prior(id);
            assertEquals(List.of("f00d-1", "beef-1", "cafe-1"), List.copyOf(prior.sets().keySet()), "in the order they came");
            PriorSet flakySet = prior.sets().get("f00d-1");
            assertEquals(7, flakySet.taskId());
            assertEquals(2, flakySet.lastAttempt());
            assertEquals(flaky, flakySet.report());
            PriorSet later = prior.sets().get("cafe-1");
            assertNull(later.report());
            assertEquals(0, later.lastAttempt());
        }
        assertEquals(Schema.VERSION, version(file));
    }

    /** An older taylorism's Boss that still writes the store would fail at its next write to the rewritten tables. */
    @Test
    void aStoreWithALiveRunIsNotRewrittenUntilTheRunEnds() throws Exception {
        Path file = schema2Store();
        Owner me = Owner.current();
        execute(file, List.of("INSERT INTO runs (number, id, started_at, status, host, pid, pid_started_at, heartbeat_at) VALUES (2,"
                + " '20261201-130000-beef', 1000, 'running', '" + me.host() + "', " + me.pid() + ", " + me.startedAtMillis() + ", "
                + System.currentTimeMillis() + ")"));

        RunStoreException refused = assertThrows(RunStoreException.class, () -> JdbcRunStore.open(file));
        assertTrue(refused.getMessage().contains("wait until its runs end, [20261201-130000-beef (pid " + me.pid()), refused.getMessage());
        assertEquals(2, version(file), "left as it was");

        execute(file, List.of("UPDATE runs SET status = 'finished' WHERE number = 2"));
        try (JdbcRunStore store = JdbcRunStore.open(file)) {
            assertEquals(List.of("plain", "flaky"), store.report("20261201-120000-abcd").workers().stream().map(WorkerReport::name).toList());
        }
        assertEquals(Schema.VERSION, version(file));
    }
}
