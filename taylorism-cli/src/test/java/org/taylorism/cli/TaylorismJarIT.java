package org.taylorism.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taylorism.testing.Awaits.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Report;
import org.taylorism.RunStatus;
import org.taylorism.WorkerStatus;
import org.taylorism.testing.Leaks;

/** The shaded jar as users run it: a real JVM, real signals. */
class TaylorismJarIT {

    @TempDir
    Path directory;

    private Process taylorism;

    private Process start(String... args) throws IOException {
        // The SQLite driver's library is unpacked into the test's directory: a run this test kills cannot delete it.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.sqlite.tmpdir=" + directory, "-jar", System.getProperty("taylorism.jar")));
        command.addAll(List.of(args));
        taylorism = new ProcessBuilder(command)
                .redirectOutput(directory.resolve("stdout").toFile())
                .redirectError(directory.resolve("stderr").toFile())
                .start();
        return taylorism;
    }

    private String stdout() throws IOException {
        return Files.readString(directory.resolve("stdout"));
    }

    private String stderr() throws IOException {
        return Files.readString(directory.resolve("stderr"));
    }

    @AfterEach
    void cleanUp() {
        if (taylorism != null) {
            taylorism.destroyForcibly();
        }
        Leaks.assertNoChildProcesses();
    }

    @Test
    void runsTheExampleBatchAndPrintsItsVersion() throws Exception {
        Process version = start("--version");
        assertTrue(version.waitFor(30, TimeUnit.SECONDS));
        assertTrue(stdout().startsWith("taylorism 0.1.0-SNAPSHOT"), stdout());

        Path batch = Files.writeString(directory.resolve("batch.json"),
                "{\"common\": {\"name\": \"s_[sleeping_time]\"}, \"individual\": {\"sleeping_time\": [0.2, 0.1]}}");
        Process run = start("run", "--report", "-", batch.toString(), "--classpath", System.getProperty("examples.jar"), "-j", "2");
        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, run.exitValue(), stderr());
        Report report = Report.fromJson(stdout());
        assertEquals(RunStatus.FINISHED, report.status());
        assertEquals(2, report.counts().get("succeeded"));
        assertTrue(stderr().contains("run finished"), stderr());
    }

    @Test
    void theTaylorismCommandBesideTheJarRunsItFromAnyDirectoryAndThroughALink() throws Exception {
        Path command = Path.of(System.getProperty("taylorism.jar")).resolveSibling("taylorism");
        assertTrue(Files.isExecutable(command), command + " is built with the jar");
        Path link = Files.createSymbolicLink(directory.resolve("taylorism"), command);
        Path batch = Files.writeString(directory.resolve("lines.txt"), "a\nb\n");
        ProcessBuilder builder = new ProcessBuilder(link.toString(), "run", "--report", "-", batch.toString(), "--set", "command=[\"echo\", \"[line]\"]",
                "--no-progress").directory(directory.toFile())
                .redirectOutput(directory.resolve("stdout").toFile()).redirectError(directory.resolve("stderr").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        taylorism = builder.start();
        assertTrue(taylorism.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, taylorism.exitValue(), stderr());
        assertEquals(2, Report.fromJson(stdout()).counts().get("succeeded"));
    }

    @Test
    void aSetNoWorkerClassFitsSuggestsTheClassPathWhenOnlyTheCommandWorkerIsKnown() throws Exception {
        Path batch = Files.writeString(directory.resolve("sleepers.json"), "{\"individual\": {\"sleeping_time\": [1]}}");
        Process run = start("run", batch.toString());
        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, run.exitValue(), stderr());
        assertTrue(stderr().contains("the built-in command worker is the only one known here: put your worker classes on the class"
                + " path, with --classpath JARS on the command line"), stderr());
    }

    @Test
    void ctrlCOnceLetsRunningWorkersFinishAndWritesTheReport() throws Exception {
        Path workdir = directory.resolve("work");
        Process run = start("run", "--report", "-", batchOfSleepers(2, 3), "--classpath", System.getProperty("examples.jar"), "-j", "1",
                "--workdir", workdir.toString());
        awaitFirstWorkerStarted(workdir);

        signal(run, "INT");

        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        assertEquals(130, run.exitValue(), stderr());
        Report report = Report.fromJson(stdout());
        assertEquals(RunStatus.PENDING, report.status());
        assertEquals(WorkerStatus.SUCCEEDED, report.workers().get(0).status(), "the running worker was let finish");
        assertEquals(2, report.pending().size());
        assertTrue(stderr().contains("stopping: nothing more is launched"), stderr());
        assertTrue(stderr().contains("taylorism: run stopped by Ctrl-C in "), stderr());
    }

    @Test
    void ctrlCTwiceKillsRunningWorkersAndStillWritesTheReport() throws Exception {
        Path workdir = directory.resolve("work");
        Process run = start("run", "--report", "-", batchOfSleepers(60, 2), "--classpath", System.getProperty("examples.jar"), "-j", "1",
                "--workdir", workdir.toString());
        awaitFirstWorkerStarted(workdir);

        signal(run, "INT");
        await().until(() -> stderr().contains("stopping"));
        signal(run, "INT");

        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        assertEquals(130, run.exitValue(), stderr());
        Report report = Report.fromJson(stdout());
        assertEquals(WorkerStatus.KILLED, report.workers().get(0).status());
        assertEquals(1, report.pending().size());
        assertTrue(stderr().contains("taylorism: run stopped by Ctrl-C twice in "), stderr());
    }

    @Test
    void aHangUpKillsRunningWorkersAndKeepsTheReportInTheRunDirectory() throws Exception {
        Path workdir = directory.resolve("work");
        Process run = start("run", batchOfSleepers(60, 2), "--classpath", System.getProperty("examples.jar"), "-j", "1",
                "--workdir", workdir.toString(), "--report", directory.resolve("report.json").toString());
        awaitFirstWorkerStarted(workdir);

        signal(run, "HUP");

        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        assertEquals(129, run.exitValue(), stderr());
        Report report = Report.fromJson(Files.readString(directory.resolve("report.json")));
        assertEquals(WorkerStatus.KILLED, report.workers().get(0).status());
        assertEquals(1, report.pending().size());
        Path kept = Path.of(report.runDirectory()).resolve("report.json");
        assertEquals(report.workers().get(0).name(), Report.fromJson(Files.readString(kept)).workers().get(0).name(),
                "the report is also beside the workers' files");
    }

    private String batchOfSleepers(double seconds, int count) throws IOException {
        StringBuilder json = new StringBuilder("{\"individual\": {\"sleeping_time\": [");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ", ").append(seconds);
        }
        return Files.writeString(directory.resolve("sleepers.json"), json.append("]}}").toString()).toString();
    }

    private static void awaitFirstWorkerStarted(Path workdir) {
        await().until(() -> {
            if (!Files.isDirectory(workdir)) {
                return false;
            }
            // The run's files are in its own directory, below --workdir.
            try (Stream<Path> files = Files.walk(workdir)) {
                return files.anyMatch(f -> f.toString().endsWith(".stdout"));
            }
        });
    }

    private static void signal(Process process, String signal) throws Exception {
        assertNotIgnoring(process, signal);
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor());
    }

    /**
     * A process started with a signal ignored keeps ignoring it, and its JVM never hears it: the taylorism process
     * inherits that from this test's JVM when the tests were started in the background without job control (a script's
     * {@code mvn verify &}) or under {@code nohup}. Said at once, rather than as a run that went on to its end.
     */
    private static void assertNotIgnoring(Process process, String signal) throws IOException {
        Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
        if (!Files.exists(status)) {
            return;
        }
        int number = Map.of("HUP", 1, "INT", 2).get(signal);
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                assertEquals(0, (ignored >>> (number - 1)) & 1, "the taylorism process ignores SIG" + signal + ", as this test's JVM"
                        + " does (started in the background without job control, or under nohup): run the tests in the foreground");
            }
        }
    }
}
