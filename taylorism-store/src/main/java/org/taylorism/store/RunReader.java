package org.taylorism.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taylorism.ErrorInfo;
import org.taylorism.PendingTask;
import org.taylorism.Report;
import org.taylorism.RunStatus;
import org.taylorism.RunStoreException;
import org.taylorism.RunningReport;
import org.taylorism.WorkerReport;
import org.taylorism.internal.Json;

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
        Instant now = Instant.now();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, host, pid, pid_started_at, heartbeat_at FROM runs WHERE status = 'running'");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                long started = rows.getLong(4);
                Owner owner = new Owner(rows.getString(2), rows.getLong(3), rows.wasNull() ? null : started);
                if (!owner.stillRuns(Instant.ofEpochMilli(rows.getLong(5)), now)) {
                    interrupted.add(rows.getString(1));
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE runs SET status = 'interrupted', ended_at = heartbeat_at WHERE id = ? AND status = 'running'")) {
            for (String id : interrupted) {
                update.setString(1, id);
                update.executeUpdate();
            }
        }
        return interrupted;
    }

    static List<RunSummary> summaries(Connection connection) throws SQLException {
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT run_id, status, COUNT(*) FROM sets GROUP BY run_id, status");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String status = rows.getString(2);
                counts.computeIfAbsent(rows.getString(1), id -> new LinkedHashMap<>())
                        .merge(status == null ? "unfinished" : status, rows.getInt(3), Integer::sum);
            }
        }
        List<RunSummary> runs = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, started_at, ended_at, status, source, run_directory FROM runs ORDER BY started_at, id");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                long ended = rows.getLong(3);
                Instant endedAt = rows.wasNull() ? null : Instant.ofEpochMilli(ended);
                runs.add(new RunSummary(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2)), endedAt, rows.getString(4),
                        rows.getString(5), counts.getOrDefault(rows.getString(1), Map.of()), rows.getString(6)));
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
        Map<String, SetRow> sets = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT key, name, worker, instructions FROM sets WHERE run_id = ? ORDER BY position")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sets.put(rows.getString(1), new SetRow(rows.getString(2), rows.getString(3), json(rows.getString(4))));
                }
            }
        }
        List<WorkerReport> ended = new ArrayList<>();
        List<RunningReport> running = new ArrayList<>();
        Map<String, Boolean> accountedFor = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT key, attempt, started_at, ended_at, ticket, node, peak_rss_mb,"
                + " retried, report FROM attempts WHERE run_id = ? ORDER BY end_order, started_at, key")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String key = rows.getString(1);
                    SetRow set = sets.get(key);
                    rows.getLong(4);
                    boolean endedYet = !rows.wasNull();
                    if (set == null || endedYet && rows.getInt(8) == 1) {
                        continue; // an earlier attempt: its final report lists it
                    }
                    accountedFor.put(key, true);
                    if (endedYet) {
                        ended.add(workerReport(rows.getString(9)));
                    } else {
                        long peak = rows.getLong(7);
                        Long peakMb = rows.wasNull() ? null : peak;
                        running.add(new RunningReport(set.name(), set.worker(), rows.getInt(5), rows.getInt(2),
                                Instant.ofEpochMilli(rows.getLong(3)), null, rows.getString(6), peakMb, false));
                    }
                }
            }
        }
        List<PendingTask> pending = new ArrayList<>();
        sets.forEach((key, set) -> {
            if (!accountedFor.containsKey(key)) {
                pending.add(new PendingTask(set.name(), set.worker(), set.instructions(), run.pendingReason()));
            }
        });
        return Report.of(run.status(), ended, pending, running, run.error(), run.failedWorker(),
                run.runDirectory() == null ? null : Path.of(run.runDirectory()), id);
    }

    private record SetRow(String name, String worker, Map<String, Object> instructions) {
    }

    private record RunRow(RunStatus status, String pendingReason, ErrorInfo error, String failedWorker, String runDirectory) {
    }

    private static RunRow runRow(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT status, never_started_reason, error, failed_worker, run_directory FROM runs WHERE id = ?")) {
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
                return new RunRow(status.equals("running") ? RunStatus.INTERIM : RunStatus.valueOf(status.toUpperCase(java.util.Locale.ROOT)),
                        reason, error == null ? null : read(error, ErrorInfo.class), rows.getString(4),
                        rows.getString(5) != null ? rows.getString(5) : runDirectoryOfAttempts(connection, id));
            }
        }
    }

    /** Where a run's files are when its end was never written: beside its attempts' output. */
    private static String runDirectoryOfAttempts(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT stdout FROM attempts WHERE run_id = ? AND stdout IS NOT NULL LIMIT 1")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Path.of(rows.getString(1)).getParent().toString() : null;
            }
        }
    }

    private static WorkerReport workerReport(String json) {
        return read(json, WorkerReport.class);
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
}
