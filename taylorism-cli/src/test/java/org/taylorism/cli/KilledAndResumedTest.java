package org.taylorism.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taylorism.testing.Awaits.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Report;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.testing.Leaks;

/**
 * A Boss killed with SIGKILL again and again in the middle of a batch, and resumed each time with {@code --resume}:
 * real Boss JVMs, real worker JVMs, a real SQLite store. The Boss dies while it accepts the sets, and then at 19
 * moments spread over the batch (while workers launch, run and end, and the store writes), so that some workers
 * are killed with it, some end unrecorded and are adopted, some are recorded.
 */
class KilledAndResumedTest {

    private static final int SETS = 200;
    private static final int KILLS = 20;

    @TempDir
    Path directory;

    private Process boss;
    private int starts;

    @AfterEach
    void noLeftovers() {
        if (boss != null) {
            boss.destroyForcibly();
        }
        Leaks.assertNoChildProcesses();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void everySetSucceedsExactlyOnceOverTwentyKillsAndResumes() throws Exception {
        Path markers = Files.createDirectories(directory.resolve("markers"));
        Path batch = directory.resolve("batch.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < SETS; i++) {
            lines.add(String.format("{\"name\": \"set-%03d\", \"marker_directory\": \"%s\", \"work_ms\": %d}", i, markers, 20 * (i % 5)));
        }
        Files.write(batch, lines);

        for (int kill = 0; kill < KILLS; kill++) {
            int runsBefore = runs();
            start(batch, kill > 0);
            int atLeast = kill * (SETS - 10) / KILLS;
            // The first kill comes as soon as the run is recorded, while its sets are accepted; the others once
            // this Boss's workers have left their marks up to a point.
            await().atMost(Duration.ofMinutes(2)).alias("kill " + kill + " after " + atLeast + " markers")
                    .until(() -> !boss.isAlive() || runs() > runsBefore && markerCount(markers) >= atLeast);
            assertTrue(boss.isAlive(), "the Boss ended before it was killed: " + Files.readString(log("err")));
            assertEquals(0, new ProcessBuilder("kill", "-KILL", String.valueOf(boss.pid())).start().waitFor());
            assertTrue(boss.waitFor(30, TimeUnit.SECONDS));
        }
        start(batch, true);
        assertTrue(boss.waitFor(5, TimeUnit.MINUTES), "the last run did not end");
        assertEquals(0, boss.exitValue(), Files.readString(log("err")));

        assertEquals(SETS, markersPerSet(markers).size(), "every set ran");
        // What finished (its task returned and its result was written) is not run again. A task stopped by its dead
        // Boss's spawner in the instant between its last act and its return (a marker here) runs again, as any
        // task interrupted before its end: so results are counted, not markers.
        Map<String, Long> finishedPerSet = resultsPerSet(directory.resolve("state"));
        assertEquals(SETS, finishedPerSet.size(), "every set finished");
        assertEquals(Map.of(), finishedPerSet.entrySet().stream().filter(set -> set.getValue() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "no set finished twice");
        assertEquals("ok", pragma("integrity_check"));
        Report report = Report.fromJson(Files.readString(directory.resolve("report.json")));
        assertEquals(SETS, report.workers().size());
        assertEquals(List.of(), report.pendingNames());
        assertEquals(List.of(), report.workers().stream().filter(worker -> worker.status() != WorkerStatus.SUCCEEDED)
                .map(WorkerReport::name).toList());
        assertTrue(report.workers().stream().anyMatch(worker -> worker.carriedFrom() != null), "earlier runs' results were carried");
        assertEquals(KILLS + 1, runs());
        // Killed right after a worker's mark, a Boss has most often not recorded that worker's end: its result is adopted.
        assertTrue(logLines("is adopted") > 0, "no result file was adopted");
    }

    private long logLines(String containing) throws IOException {
        long count = 0;
        for (int start = 1; start <= starts; start++) {
            count += Files.readAllLines(directory.resolve("boss-" + start + ".err")).stream().filter(line -> line.contains(containing)).count();
        }
        return count;
    }

    private void start(Path batch, boolean resume) throws IOException {
        starts++;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // sqlite-jdbc's native library is extracted there: a JVM killed with SIGKILL cannot delete it
                "-Dorg.sqlite.tmpdir=" + directory, "-cp", System.getProperty("java.class.path"), TaylorismCommand.class.getName(), "run", batch.toString(),
                "--store", directory.resolve("state/runs.db").toString(), "--max-threads", "2", "--no-progress", "-v",
                "--report", directory.resolve("report.json").toString()));
        if (resume) {
            command.add("--resume");
        }
        boss = new ProcessBuilder(command).redirectOutput(log("out").toFile()).redirectError(log("err").toFile()).start();
    }

    private Path log(String stream) {
        return directory.resolve("boss-" + starts + "." + stream);
    }

    private static long markerCount(Path markers) throws IOException {
        try (Stream<Path> files = Files.list(markers)) {
            return files.count();
        }
    }

    /** How many result files each set left, over every run's directory below {@code root} (ID-NAME[.ATTEMPT].result.json). */
    private static Map<String, Long> resultsPerSet(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".result.json"))
                    .map(name -> name.substring(name.indexOf('-') + 1, name.indexOf('-') + 1 + "set-000".length()))
                    .collect(Collectors.groupingBy(name -> name, TreeMap::new, Collectors.counting()));
        }
    }

    private static Map<String, Long> markersPerSet(Path markers) throws IOException {
        try (Stream<Path> files = Files.list(markers)) {
            return files.map(file -> file.getFileName().toString().substring(0, "set-000".length()))
                    .collect(Collectors.groupingBy(name -> name, TreeMap::new, Collectors.counting()));
        }
    }

    /** How many runs the store has; 0 before it exists. */
    private int runs() throws SQLException {
        if (!Files.exists(directory.resolve("state/runs.db"))) {
            return 0;
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("state/runs.db"));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM runs")) {
            return rows.getInt(1);
        } catch (SQLException e) {
            if (e.getMessage().contains("no such table")) {
                return 0; // made, not migrated yet
            }
            throw e;
        }
    }

    private String pragma(String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("state/runs.db"));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
            return rows.getString(1);
        }
    }
}
