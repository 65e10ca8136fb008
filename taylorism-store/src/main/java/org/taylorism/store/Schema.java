package org.taylorism.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.taylorism.RunStoreException;

/**
 * The store's tables, and the migrations that bring a store written by an earlier taylorism up to date. The
 * schema's version is SQLite's {@code user_version}: migration N takes a store from version N to N + 1, in one
 * transaction. A store of a newer version than this taylorism knows is refused, never changed.
 */
final class Schema {

    /**
     * Migration 0 is the first release's schema. A run's times are epoch milliseconds, an attempt's epoch
     * nanoseconds (its report's own precision); JSON columns hold what the report holds (the instructions as given,
     * a result, an error, the earlier attempts of a retried set). Sets and attempts name their run by its number,
     * not its id, and an attempt's output files are named relative to its run's directory when they are in it: their
     * rows and keys are the smaller, and a busy run writes thousands a second.
     */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE runs (
              number INTEGER PRIMARY KEY,
              id TEXT NOT NULL UNIQUE,
              started_at INTEGER NOT NULL,
              ended_at INTEGER,
              status TEXT NOT NULL,
              source TEXT,
              scheduler TEXT,
              halt_policy TEXT,
              retry_policy TEXT,
              options TEXT,
              run_directory TEXT,
              resumed_from TEXT,
              host TEXT NOT NULL,
              pid INTEGER NOT NULL,
              pid_started_at INTEGER,
              heartbeat_at INTEGER NOT NULL,
              error TEXT,
              failed_worker TEXT,
              never_started_reason TEXT
            )""",
            "CREATE INDEX runs_by_start ON runs (started_at)",
            """
            CREATE TABLE sets (
              run INTEGER NOT NULL REFERENCES runs (number) ON DELETE CASCADE,
              key TEXT NOT NULL,
              position INTEGER NOT NULL,
              task_id INTEGER NOT NULL,
              name TEXT NOT NULL,
              worker TEXT NOT NULL,
              instructions TEXT NOT NULL,
              PRIMARY KEY (run, key)
            )""",
            """
            CREATE TABLE attempts (
              run INTEGER NOT NULL REFERENCES runs (number) ON DELETE CASCADE,
              key TEXT NOT NULL,
              attempt INTEGER NOT NULL,
              started_at INTEGER NOT NULL,
              ended_at INTEGER,
              end_order INTEGER,
              status TEXT,
              cause TEXT,
              exit_code INTEGER,
              signal TEXT,
              ticket INTEGER,
              cpus TEXT,
              node TEXT,
              peak_rss_mb INTEGER,
              stdout TEXT,
              stderr TEXT,
              hs_err_file TEXT,
              retried INTEGER NOT NULL DEFAULT 0,
              result TEXT,
              error TEXT,
              earlier TEXT,
              carried_from TEXT,
              PRIMARY KEY (run, key, attempt)
            )"""),
            // 2: a sub-task's parent (the name of the worker that submitted it), so that a resumed server leaves it to its
            // parent to submit again; how many processes an attempt left behind.
            List.of("ALTER TABLE sets ADD COLUMN parent TEXT", "ALTER TABLE attempts ADD COLUMN left_behind INTEGER"),
            // 3: sets and attempts keyed by the set's task id, which rises as sets come in, not by its key, a digest. Rows
            // keyed by a digest land at random places in their index: a commit rewrote a page of it for nearly every row,
            // and the more rows a store held, the more pages, until the writer cost more than the workers.
            List.of("""
                    CREATE TABLE sets_by_task (
                      run INTEGER NOT NULL REFERENCES runs (number) ON DELETE CASCADE,
                      task_id INTEGER NOT NULL,
                      key TEXT NOT NULL,
                      position INTEGER NOT NULL,
                      name TEXT NOT NULL,
                      worker TEXT NOT NULL,
                      instructions TEXT NOT NULL,
                      parent TEXT,
                      PRIMARY KEY (run, task_id)
                    )""",
                    """
                    INSERT INTO sets_by_task (run, task_id, key, position, name, worker, instructions, parent)
                      SELECT run, task_id, key, position, name, worker, instructions, parent FROM sets ORDER BY run, task_id""",
                    """
                    CREATE TABLE attempts_by_task (
                      run INTEGER NOT NULL REFERENCES runs (number) ON DELETE CASCADE,
                      task_id INTEGER NOT NULL,
                      attempt INTEGER NOT NULL,
                      started_at INTEGER NOT NULL,
                      ended_at INTEGER,
                      end_order INTEGER,
                      status TEXT,
                      cause TEXT,
                      exit_code INTEGER,
                      signal TEXT,
                      ticket INTEGER,
                      cpus TEXT,
                      node TEXT,
                      peak_rss_mb INTEGER,
                      stdout TEXT,
                      stderr TEXT,
                      hs_err_file TEXT,
                      retried INTEGER NOT NULL DEFAULT 0,
                      result TEXT,
                      error TEXT,
                      earlier TEXT,
                      carried_from TEXT,
                      left_behind INTEGER,
                      PRIMARY KEY (run, task_id, attempt)
                    )""",
                    // An attempt whose set has no row (none is written so) is left behind.
                    """
                    INSERT INTO attempts_by_task (run, task_id, attempt, started_at, ended_at, end_order, status, cause, exit_code,
                      signal, ticket, cpus, node, peak_rss_mb, stdout, stderr, hs_err_file, retried, result, error, earlier,
                      carried_from, left_behind)
                      SELECT a.run, s.task_id, a.attempt, a.started_at, a.ended_at, a.end_order, a.status,
                      a.cause, a.exit_code, a.signal, a.ticket, a.cpus, a.node, a.peak_rss_mb, a.stdout, a.stderr, a.hs_err_file,
                      a.retried, a.result, a.error, a.earlier, a.carried_from, a.left_behind
                      FROM attempts a JOIN sets s ON s.run = a.run AND s.key = a.key ORDER BY a.run, s.task_id, a.attempt""",
                    "DROP TABLE attempts",
                    "DROP TABLE sets",
                    "ALTER TABLE sets_by_task RENAME TO sets",
                    "ALTER TABLE attempts_by_task RENAME TO attempts"),
            // 4: a run's Boss's start in clock ticks since boot, with the boot's id: its start in epoch milliseconds moves
            // when the wall clock is set, and a live Boss then looked gone (see Owner).
            List.of("ALTER TABLE runs ADD COLUMN pid_start_ticks INTEGER", "ALTER TABLE runs ADD COLUMN boot_id TEXT"));

    /**
     * The first version whose runs have their Boss's start in ticks ({@code pid_start_ticks}, {@code boot_id}): a store
     * being migrated is read before it has them (whether a run is live, before a migration that rewrites tables).
     */
    static final int BOOT_TICKS = 4;
    /** The version this taylorism writes. */
    static final int VERSION = MIGRATIONS.size();
    /**
     * The migrations that rewrite tables rather than add to them: a Boss of an older taylorism still writing the store
     * would fail at its next write, so they wait until no run is live.
     */
    private static final Set<Integer> REWRITING = Set.of(2);

    private Schema() {
    }

    /** Brings the store at {@code connection} to {@link #VERSION}. */
    static void migrate(Connection connection, Path file) throws SQLException {
        int version = version(connection);
        if (version > VERSION) {
            throw new RunStoreException("the run store " + file + " was written by a newer taylorism (schema " + version
                    + "); this one reads schema " + VERSION + " and older: use the newer taylorism, or another --store");
        }
        for (int next = version; next < VERSION; next++) {
            try (Statement statement = connection.createStatement()) {
                // The write lock first: another process may be migrating it too, and then it is done when we get it.
                statement.execute("BEGIN IMMEDIATE");
                try {
                    if (version(connection) == next) {
                        refuseWhileLive(connection, file, next);
                        for (String sql : MIGRATIONS.get(next)) {
                            statement.execute(sql);
                        }
                        statement.execute("PRAGMA user_version = " + (next + 1));
                    }
                    statement.execute("COMMIT");
                } catch (SQLException | RuntimeException e) {
                    rollBack(statement, e);
                    throw e;
                }
            }
        }
    }

    private static void refuseWhileLive(Connection connection, Path file, int migration) throws SQLException {
        if (!REWRITING.contains(migration)) {
            return;
        }
        List<String> live = RunReader.liveRuns(connection);
        if (!live.isEmpty()) {
            throw new RunStoreException("the run store " + file + " is to be upgraded to schema " + (migration + 1)
                    + ", which an older taylorism still writing it could not write: wait until its runs end, " + live
                    + ", or use another --store");
        }
    }

    /**
     * Rolls back the transaction that {@code failure} ended. SQLite may have rolled it back itself (a full disk): the
     * failure to roll back then joins {@code failure}, which is the one to tell, rather than taking its place.
     */
    static void rollBack(Statement statement, Throwable failure) {
        try {
            statement.execute("ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    static int version(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }
}
