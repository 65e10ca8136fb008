package org.taylorism.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.taylorism.AttemptReport;
import org.taylorism.ErrorInfo;
import org.taylorism.PendingTask;
import org.taylorism.Report;
import org.taylorism.RunStatus;
import org.taylorism.RunStoreException;
import org.taylorism.RunningReport;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.internal.Json;
import org.taylorism.internal.ReportJson;
import org.taylorism.spi.PriorRun;
import org.taylorism.spi.PriorSet;

/**
 * Reads runs back from a store: which were interrupted, the list of runs, and a run's report rebuilt from its
 * rows (the same report its Boss handed out, or, for a run that did not end, what it had come to).
 */
final class RunReader {

    private RunReader() {
    }

    /** Marks {@code interrupted} every run still said to run whose owner is gone; returns their ids. */
    static List<String> markInterrupted(Connection connection) throws SQLException {
        List<String> interrupted = new ArrayList<>();
        runsSaidToRun(connection, (id, owner, stillRuns) -> {
            if (!stillRuns) {
                interrupted.add(id);
            }
        });
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE runs SET status = 'interrupted', ended_at = heartbeat_at WHERE id = ? AND status = 'running'")) {
            for (String id : interrupted) {
                update.setString(1, id);
                update.executeUpdate();
            }
        }
        return interrupted;
    }

    /** The runs still said to run whose owner still runs, each as its id and its Boss in words. */
    static List<String> liveRuns(Connection connection) throws SQLException {
        List<String> live = new ArrayList<>();
        runsSaidToRun(connection, (id, owner, stillRuns) -> {
            if (stillRuns) {
                live.add(id + " (pid " + owner.pid() + " on " + owner.host() + ")");
            }
        });
        return live;
    }

    /**
     * The live runs that resume a run of {@code runId}'s lineage (the runs that resume the same first run, through any
     * chain of resumes), each as its id and its Boss in words: each runs what that lineage left, as a new resume of
     * {@code runId} would.
     */
    static List<String> liveResumersInLineageOf(Connection connection, String runId) throws SQLException {
        Map<String, String> resumedFrom = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id, resumed_from FROM runs WHERE resumed_from IS NOT NULL");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                resumedFrom.put(rows.getString(1), rows.getString(2));
            }
        }
        String first = firstOfLineage(runId, resumedFrom);
        List<String> live = new ArrayList<>();
        runsSaidToRun(connection, (id, owner, stillRuns) -> {
            if (stillRuns && resumedFrom.containsKey(id) && firstOfLineage(id, resumedFrom).equals(first)) {
                live.add(id + " (pid " + owner.pid() + " on " + owner.host() + ")");
            }
        });
        return live;
    }

    /** The run that {@code runId} resumes, through every resume, back to the first (a cycle, never written, ends it). */
    private static String firstOfLineage(String runId, Map<String, String> resumedFrom) {
        Set<String> seen = new HashSet<>();
        String run = runId;
        while (resumedFrom.containsKey(run) && seen.add(run)) {
            run = resumedFrom.get(run);
        }
        return run;
    }

    private interface RunSaidToRun {
        void accept(String id, Owner owner, boolean stillRuns);
    }

    private static void runsSaidToRun(Connection connection, RunSaidToRun each) throws SQLException {
        Instant now = Instant.now();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, host, pid, pid_started_at, heartbeat_at, " + (Schema.version(connection) >= Schema.BOOT_TICKS
                        ? "pid_start_ticks, boot_id" : "NULL, NULL") + " FROM runs WHERE status = 'running'");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                Owner owner = new Owner(rows.getString(2), rows.getLong(3), nullableLong(rows, 4), nullableLong(rows, 6),
                        rows.getString(7));
                each.accept(rows.getString(1), owner, owner.stillRuns(Instant.ofEpochMilli(rows.getLong(5)), now));
            }
        }
    }

    private static Long nullableLong(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }

    static List<RunSummary> summaries(Connection connection) throws SQLException {
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        Map<String, Integer> endedPerRun = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT runs.id, attempts.status, COUNT(*) FROM attempts"
                + " JOIN runs ON runs.number = attempts.run WHERE retried = 0 AND attempts.ended_at IS NOT NULL"
                + " GROUP BY attempts.run, attempts.status ORDER BY attempts.run, attempts.status");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                counts.computeIfAbsent(rows.getString(1), id -> new LinkedHashMap<>()).put(rows.getString(2), rows.getInt(3));
                endedPerRun.merge(rows.getString(1), rows.getInt(3), Integer::sum);
            }
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT runs.id, COUNT(*) FROM sets JOIN runs ON runs.number = sets.run GROUP BY sets.run");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                int unfinished = rows.getInt(2) - endedPerRun.getOrDefault(rows.getString(1), 0);
                if (unfinished > 0) {
                    counts.computeIfAbsent(rows.getString(1), id -> new LinkedHashMap<>()).put("unfinished", unfinished);
                }
            }
        }
        List<RunSummary> runs = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, started_at, ended_at, status, source, run_directory, resumed_from FROM runs ORDER BY started_at, id");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                long ended = rows.getLong(3);
                Instant endedAt = rows.wasNull() ? null : Instant.ofEpochMilli(ended);
                runs.add(new RunSummary(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2)), endedAt, rows.getString(4),
                        rows.getString(5), counts.getOrDefault(rows.getString(1), Map.of()), rows.getString(6),
                        rows.getString(7)));
            }
        }
        return runs;
    }

    /**
     * The id of the run {@code idOrPrefix} names: its whole id, or a prefix only one run has.
     *
     * @throws RunStoreException naming the store, when no run, or several, match
     */
    static String resolve(Connection connection, String idOrPrefix, Path store) throws SQLException {
        List<String> matches = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM runs WHERE id = ? OR substr(id, 1, ?) = ? ORDER BY id")) {
            select.setString(1, idOrPrefix);
            select.setInt(2, idOrPrefix.length());
            select.setString(3, idOrPrefix);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    matches.add(rows.getString(1));
                }
            }
        }
        if (matches.contains(idOrPrefix)) {
            return idOrPrefix;
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        throw new RunStoreException(matches.isEmpty() ? "no run '" + idOrPrefix + "' in the run store " + store + " (taylorism runs lists them)"
                : "'" + idOrPrefix + "' is the start of several runs' ids in " + store + ": " + matches);
    }

    /** The report of run {@code id}, rebuilt from its rows. */
    static Report report(Connection connection, String id) throws SQLException {
        RunRow run = runRow(connection, id);
        Map<Long, SetRow> sets = sets(connection, run);
        List<WorkerReport> ended = new ArrayList<>();
        List<RunningReport> running = new ArrayList<>();
        Set<Long> accountedFor = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + ATTEMPT_COLUMNS
                + " FROM attempts WHERE run = ? ORDER BY end_order, started_at, task_id")) {
            select.setLong(1, run.number());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long taskId = rows.getLong("task_id");
                    SetRow set = sets.get(taskId);
                    rows.getLong("ended_at");
                    boolean endedYet = !rows.wasNull();
                    if (set == null || endedYet && rows.getInt("retried") == 1) {
                        continue; // an earlier attempt: its final report lists it
                    }
                    accountedFor.add(taskId);
                    if (endedYet) {
                        ended.add(workerReport(run, set, rows));
                    } else {
                        running.add(new RunningReport(set.name(), set.worker(), rows.getInt("ticket"), rows.getInt("attempt"),
                                instant(rows.getLong("started_at")), null, rows.getString("node"), nullableLong(rows, "peak_rss_mb"), false));
                    }
                }
            }
        }
        List<PendingTask> pending = new ArrayList<>();
        sets.forEach((taskId, set) -> {
            if (!accountedFor.contains(taskId)) {
                pending.add(new PendingTask(set.name(), set.worker(), set.instructions(), run.pendingReason()));
            }
        });
        return Report.of(run.status(), ended, pending, running, run.error(), run.failedWorker(),
                run.runDirectory() == null ? null : Path.of(run.runDirectory()), id);
    }

    /**
     * Writes the report of run {@code id} to {@code out} as {@link #report} would make it, its ended workers streamed
     * from their rows: a run of a million sets is never held whole.
     */
    static void writeReport(Connection connection, String id, OutputStream out) throws SQLException, IOException {
        RunRow run = runRow(connection, id);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (WorkerStatus status : WorkerStatus.values()) {
            counts.put(status.jsonName(), 0);
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT a.status, COUNT(*) FROM attempts a JOIN sets s"
                + " ON s.run = a.run AND s.task_id = a.task_id WHERE a.run = ? AND a.ended_at IS NOT NULL AND a.retried = 0 GROUP BY a.status")) {
            select.setLong(1, run.number());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.merge(status(rows.getString(1)).jsonName(), rows.getInt(2), Integer::sum);
                }
            }
        }
        List<RunningReport> running = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT s.name, s.worker, a.ticket, a.attempt, a.started_at, a.node,"
                + " a.peak_rss_mb FROM attempts a JOIN sets s ON s.run = a.run AND s.task_id = a.task_id WHERE a.run = ? AND a.ended_at IS NULL"
                + " ORDER BY a.started_at, a.task_id")) {
            select.setLong(1, run.number());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    running.add(new RunningReport(rows.getString(1), rows.getString(2), rows.getInt(3), rows.getInt(4),
                            instant(rows.getLong(5)), null, rows.getString(6), nullableLong(rows, "peak_rss_mb"), false));
                }
            }
        }
        List<PendingTask> pending = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT name, worker, instructions FROM sets s WHERE run = ?"
                + " AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.run = s.run AND a.task_id = s.task_id AND (a.ended_at IS NULL OR a.retried = 0))"
                + " ORDER BY position")) {
            select.setLong(1, run.number());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    pending.add(new PendingTask(rows.getString(1), rows.getString(2), json(rows.getString(3)), run.pendingReason()));
                }
            }
        }
        counts.put("pending", pending.size());
        counts.put("running", running.size());
        Report header = new Report(Report.SCHEMA_VERSION, run.status(), counts, List.of(), pending, running, run.error(),
                run.failedWorker(), run.runDirectory(), id, null);
        ReportJson.write(header, each -> endedWorkers(connection, run, each), out);
    }

    /** Hands out the last attempt of each ended set of {@code run}, in completion order, read row by row. */
    private static void endedWorkers(Connection connection, RunRow run, Consumer<WorkerReport> each) {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + ATTEMPT_COLUMNS_OF_A
                + ", s.key, s.name, s.worker, s.instructions, s.parent FROM attempts a JOIN sets s ON s.run = a.run AND s.task_id = a.task_id"
                + " WHERE a.run = ? AND a.ended_at IS NOT NULL AND a.retried = 0 ORDER BY a.end_order, a.started_at, a.task_id")) {
            select.setLong(1, run.number());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    SetRow set = new SetRow(rows.getString("key"), rows.getString("name"), rows.getString("worker"),
                            json(rows.getString("instructions")), rows.getString("parent"));
                    each.accept(workerReport(run, set, rows));
                }
            }
        } catch (SQLException e) {
            throw new RunStoreException("could not read the ended sets of run " + run.number() + " from the run store: " + e.getMessage(), e);
        }
    }

    /** Names asked for in one query: below SQLite's least limit of variables per statement. */
    private static final int NAMES_PER_QUERY = 500;

    /**
     * The last reports of the ended sets of run {@code id} called {@code names}, by name; a name used more than once
     * gives the report that ended last.
     */
    static Map<String, WorkerReport> endedReports(Connection connection, String id, Collection<String> names) throws SQLException {
        RunRow run = runRow(connection, id);
        List<String> all = List.copyOf(new LinkedHashSet<>(names));
        Map<String, WorkerReport> found = new HashMap<>();
        for (int from = 0; from < all.size(); from += NAMES_PER_QUERY) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + NAMES_PER_QUERY));
            try (PreparedStatement select = connection.prepareStatement("SELECT s.key AS set_key, s.name AS set_name,"
                    + " s.worker AS set_worker, s.instructions AS set_instructions, " + ATTEMPT_COLUMNS_OF_A
                    + " FROM sets s JOIN attempts a ON a.run = s.run AND a.task_id = s.task_id WHERE s.run = ? AND a.ended_at IS NOT NULL"
                    + " AND a.retried = 0 AND s.name IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")"
                    + " ORDER BY a.end_order")) {
                select.setLong(1, run.number());
                for (int i = 0; i < chunk.size(); i++) {
                    select.setString(i + 2, chunk.get(i));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        SetRow set = new SetRow(rows.getString("set_key"), rows.getString("set_name"), rows.getString("set_worker"),
                                json(rows.getString("set_instructions")), null);
                        found.put(set.name(), workerReport(run, set, rows));
                    }
                }
            }
        }
        return found;
    }

    /**
     * What run {@code id} left, for a run that resumes it.
     *
     * @throws RunStoreException when its Boss still runs it
     */
    static PriorRun prior(Connection connection, String id) throws SQLException {
        RunRow run = runRow(connection, id);
        if (run.status() == RunStatus.INTERIM) {
            throw new RunStoreException("run " + id + " still runs: its Boss (" + run.owner() + ") is alive; resume it once that"
                    + " Boss has ended or was stopped");
        }
        Map<Long, SetRow> sets = sets(connection, run);
        Map<Long, WorkerReport> reports = new HashMap<>();
        Map<Long, Integer> lastAttempts = new HashMap<>();
        Map<Long, Instant> lastStarts = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + ATTEMPT_COLUMNS
                + " FROM attempts WHERE run = ? ORDER BY task_id, attempt")) {
            select.setLong(1, run.number());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long taskId = rows.getLong("task_id");
                    SetRow set = sets.get(taskId);
                    if (set == null) {
                        continue;
                    }
                    lastAttempts.put(taskId, rows.getInt("attempt"));
                    lastStarts.put(taskId, instant(rows.getLong("started_at")));
                    rows.getLong("ended_at");
                    boolean last = !rows.wasNull() && rows.getInt("retried") == 0;
                    if (last) {
                        reports.put(taskId, workerReport(run, set, rows));
                    } else {
                        reports.remove(taskId); // a later attempt than the one that ended
                    }
                }
            }
        }
        Map<String, PriorSet> prior = new LinkedHashMap<>();
        sets.forEach((taskId, set) -> prior.put(set.key(), new PriorSet(set.key(), taskId, set.name(), set.worker(), set.instructions(),
                reports.get(taskId), lastAttempts.getOrDefault(taskId, 0), lastStarts.get(taskId), set.parent())));
        return new PriorRun(id, run.runDirectory() == null ? null : Path.of(run.runDirectory()), prior, run.resumedFrom());
    }

    /** The sets of {@code run} by task id, in the order they came. */
    private static Map<Long, SetRow> sets(Connection connection, RunRow run) throws SQLException {
        Map<Long, SetRow> sets = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT key, task_id, name, worker, instructions, parent FROM sets WHERE run = ? ORDER BY position")) {
            select.setLong(1, run.number());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sets.put(rows.getLong(2), new SetRow(rows.getString(1), rows.getString(3), rows.getString(4),
                            json(rows.getString(5)), rows.getString(6)));
                }
            }
        }
        return sets;
    }

    /**
     * @param key its stable key (see {@link org.taylorism.spi.JournalEntry.SetAccepted})
     * @param parent the name of the worker that submitted it as a sub-task, or null
     */
    private record SetRow(String key, String name, String worker, Map<String, Object> instructions, String parent) {
    }

    /**
     * @param owner its Boss, in words
     */
    private record RunRow(long number, RunStatus status, String pendingReason, ErrorInfo error, String failedWorker, String runDirectory,
                          String owner, String resumedFrom) {

        /** An attempt's output file's path, from its stored form: relative to the run's directory, or whole. */
        String outputFile(String stored) {
            return stored == null || runDirectory == null || stored.startsWith("/") ? stored : runDirectory + "/" + stored;
        }
    }

    private static RunRow runRow(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT status, never_started_reason, error, failed_worker,"
                + " run_directory, number, host, pid, resumed_from FROM runs WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    throw new RunStoreException("no run '" + id + "' in the run store");
                }
                String status = rows.getString(1);
                String reason = switch (status) {
                    case "running" -> "waiting: the run goes on";
                    case "interrupted" -> "never started: the run was interrupted";
                    default -> rows.getString(2);
                };
                String error = rows.getString(3);
                long number = rows.getLong(6);
                return new RunRow(number, status.equals("running") ? RunStatus.INTERIM : RunStatus.valueOf(status.toUpperCase(Locale.ROOT)),
                        reason, error == null ? null : read(error, ErrorInfo.class), rows.getString(4),
                        rows.getString(5), "pid " + rows.getLong(8) + " on " + rows.getString(7), rows.getString(9));
            }
        }
    }

    private static final String ATTEMPT_COLUMNS = "task_id, attempt, started_at, ended_at, status, cause, exit_code, signal, ticket, cpus,"
            + " node, peak_rss_mb, stdout, stderr, hs_err_file, retried, result, error, earlier, carried_from, left_behind";
    /** The same, of the attempts table named {@code a}, for queries that join it with the sets. */
    private static final String ATTEMPT_COLUMNS_OF_A = Arrays.stream(ATTEMPT_COLUMNS.split(","))
            .map(column -> "a." + column.strip()).collect(Collectors.joining(", "));

    /** The report of an ended attempt, from its row and its set's. */
    private static WorkerReport workerReport(RunRow run, SetRow set, ResultSet row) throws SQLException {
        Instant startedAt = instant(row.getLong("started_at"));
        Instant endedAt = instant(row.getLong("ended_at"));
        String result = row.getString("result");
        String error = row.getString("error");
        String earlier = row.getString("earlier");
        String cpus = row.getString("cpus");
        return new WorkerReport(set.name(), set.worker(), status(row.getString("status")), row.getString("cause"),
                set.instructions(), result == null ? null : read(result, Object.class), error == null ? null : read(error, ErrorInfo.class),
                nullableInt(row, "exit_code"), row.getString("signal"), nullableInt(row, "ticket"),
                cpus == null ? null : Arrays.stream(cpus.split(",")).map(Integer::valueOf).toList(), row.getString("node"),
                startedAt, endedAt, Duration.between(startedAt, endedAt).toMillis(), run.outputFile(row.getString("stdout")), run.outputFile(row.getString("stderr")),
                nullableLong(row, "peak_rss_mb"), row.getString("hs_err_file"), row.getInt("attempt"),
                earlier == null ? null : read(earlier, EARLIER_ATTEMPTS), row.getString("carried_from"), nullableInt(row, "left_behind"));
    }

    private static final TypeReference<List<AttemptReport>> EARLIER_ATTEMPTS = new TypeReference<>() {
    };

    private static WorkerStatus status(String name) {
        try {
            return WorkerStatus.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RunStoreException("the run store holds an attempt whose status '" + name + "' this taylorism does not know", e);
        }
    }

    /** An instant from epoch nanoseconds, as an attempt's times are kept. */
    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos);
    }

    private static Integer nullableInt(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }

    private static Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        return read(text, Map.class);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new RunStoreException("the run store holds a " + type.getSimpleName() + " that is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new RunStoreException("the run store holds a " + type.getType().getTypeName() + " that is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
    }
}
