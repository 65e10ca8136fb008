package org.taylorism.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Cause;
import org.taylorism.Report;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.testing.Leaks;

/** Flows through the command line, with real programs: the example pipeline, a failing middle stage, and a resume. */
class FlowsCommandTest {

    @TempDir
    Path directory;

    private CliRun cli;
    private Process boss;

    @AfterEach
    void noLeftovers() {
        if (boss != null) {
            boss.destroyForcibly();
        }
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    private int run(String... args) {
        cli = new CliRun();
        return cli.run(args);
    }

    private Path batch(String... lines) throws IOException {
        return Files.write(directory.resolve("batch.jsonl"), List.of(lines));
    }

    @Test
    void theExamplePipelineSplitsCountsInParallelAndMerges() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int line = 0; line < 400; line++) {
            text.append("line ").append(line).append(" has words\n");
        }
        Files.writeString(directory.resolve("README.md"), text);
        Path example = Path.of("..", "examples", "pipeline.jsonl");
        assertEquals(0, run("run", example.toString(), "-j", "4", "--set", "cwd=" + directory, "--keep-order",
                "--workdir", directory.resolve("work").toString()), cli.err.toString());

        List<String> printed = cli.out.toString().lines().toList();
        assertEquals(String.valueOf(400 * 4), printed.get(printed.size() - 1), "the total, printed last: " + printed);
        assertEquals(5, printed.size(), "four counts, then the total: " + printed);
        assertFalse(Files.exists(directory.resolve("pieces")), "the clean-up stage ran");

        assertEquals(0, run("explain", example.toString()));
        assertTrue(cli.out.toString().contains("    total  <- count-0, count-1, count-2, count-3 succeeded"), cli.out.toString());
        assertTrue(cli.out.toString().contains("  stage 4:\n    clean  <- total ended"), cli.out.toString());
    }

    @Test
    void aFailingMiddleStageRunsWhatWaitsForItsEndOrItsFailureAndCancelsWhatNeededItsSuccess() throws IOException {
        Path batch = batch(
                "{\"name\": \"fetch\", \"command\": [\"echo\", \"fetched\"]}",
                "{\"name\": \"build\", \"command\": [\"sh\", \"-c\", \"echo broken >&2; exit 2\"], \"after\": \"fetch\"}",
                "{\"name\": \"test\", \"command\": [\"echo\", \"testing\"], \"after\": \"build\"}",
                "{\"name\": \"deploy\", \"command\": [\"echo\", \"deploying\"], \"after\": \"test\"}",
                "{\"name\": \"report\", \"command\": [\"echo\", \"build ended: {{build.stderr}}\"], \"after\": {\"ended\": [\"build\"]}}",
                "{\"name\": \"alert\", \"command\": [\"echo\", \"alert\"], \"after\": {\"failed\": [\"build\"]}}");
        assertEquals(3, run("run", batch.toString(), "-j", "4", "--workdir", directory.resolve("work").toString(),
                "--output", "none", "--report", "-"), cli.err.toString());

        Report report = Report.fromJson(cli.out.toString());
        WorkerReport build = report.worker("build").orElseThrow();
        assertEquals(WorkerStatus.FAILED, build.status());
        assertEquals("build ended: " + build.stderr(), report.worker("report").orElseThrow().result());
        assertEquals(WorkerStatus.SUCCEEDED, report.worker("alert").orElseThrow().status());
        for (String never : List.of("test", "deploy")) {
            WorkerReport cancelled = report.worker(never).orElseThrow();
            assertEquals(WorkerStatus.CANCELLED, cancelled.status(), never);
            assertEquals(Cause.DEPENDENCY_NEVER_SATISFIED.jsonName(), cancelled.cause(), never);
        }
        assertTrue(cli.err.toString().contains("deploy cancelled in 0.0 s: what it waits for can never hold: 'test' cancelled"), cli.err.toString());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aBossKilledBetweenTwoStagesIsResumedWithoutRunningTheFirstAgainAndItsResultFeedsTheNext() throws Exception {
        Path marks = Files.createDirectories(directory.resolve("marks"));
        Path release = directory.resolve("release");
        Path started = directory.resolve("second-started");
        Path batch = batch(
                "{\"name\": \"first\", \"command\": [\"sh\", \"-c\", \"mktemp " + marks + "/first.XXXXXX > /dev/null; echo 42\"]}",
                "{\"name\": \"second\", \"command\": [\"sh\", \"-c\", \"touch " + started + "; while [ ! -e " + release
                        + " ]; do sleep 0.05; done; echo second\"], \"after\": \"first\"}",
                "{\"name\": \"third\", \"command\": [\"echo\", \"first gave {{first.result}}\"], \"after\": [\"first\", \"second\"]}");
        String store = directory.resolve("state/runs.db").toString();
        boss = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // sqlite-jdbc's native library is extracted there: a JVM killed with SIGKILL cannot delete it
                "-Dorg.sqlite.tmpdir=" + directory, "-cp", System.getProperty("java.class.path"), TaylorismCommand.class.getName(),
                "run", batch.toString(), "--store", store, "--no-progress", "-j", "2")
                .redirectOutput(directory.resolve("boss.out").toFile()).redirectError(directory.resolve("boss.err").toFile()).start();
        // Killed while the second stage runs, once the store has the first one's end: a program's end it never recorded
        // would be run again (only a Java worker's result file can be adopted).
        await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(started) && firstRecorded(store) || !boss.isAlive());
        assertTrue(boss.isAlive(), Files.readString(directory.resolve("boss.err")));
        assertEquals(0, new ProcessBuilder("kill", "-KILL", String.valueOf(boss.pid())).start().waitFor());
        assertTrue(boss.waitFor(1, TimeUnit.MINUTES));

        Files.createFile(release);
        assertEquals(0, run("run", batch.toString(), "--resume", "--store", store, "--no-progress", "-j", "2", "--report", "-"),
                cli.err.toString());
        Report report = Report.fromJson(cli.out.toString());
        assertEquals(1, countFiles(marks), "the first stage, which succeeded, is not run again");
        assertTrue(report.worker("first").orElseThrow().carriedFrom() != null);
        assertEquals(WorkerStatus.SUCCEEDED, report.worker("second").orElseThrow().status());
        assertEquals("first gave 42", report.worker("third").orElseThrow().result(), "the stored result feeds the next stage");
    }

    private static boolean firstRecorded(String store) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + store);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM attempts a JOIN sets s ON a.run = s.run AND a.task_id = s.task_id"
                     + " WHERE s.name = 'first' AND a.status = 'succeeded'")) {
            return rows.getInt(1) == 1;
        }
    }

    private static long countFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }
}
