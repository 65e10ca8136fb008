package org.taylorism.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Report;
import org.taylorism.RunStatus;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.testing.Leaks;

/** {@code taylorism run}, black box: arguments in, exit code, stdout and stderr out. */
class RunCommandTest {

    @TempDir
    Path directory;

    private final CliRun cli = new CliRun();
    private final CliRun.Captured out = cli.out;
    private final CliRun.Captured err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    private Path batch(String json) throws IOException {
        return Files.writeString(directory.resolve("batch.json"), json);
    }

    @AfterEach
    void noLeftovers() {
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    @Test
    void runsABatchAndPrintsTheReportOnStdout() throws IOException {
        Path batch = batch("""
                {"common": {"wakeup_sentence": "Up!", "name": "s_[sleeping_time]"},
                 "individual": {"sleeping_time": [0, 0.1]}}
                """);
        int exitCode = run("run", "--report", "-", batch.toString(), "--max-threads", "2", "--workdir", directory.resolve("work").toString());

        assertEquals(0, exitCode, err.toString());
        Report report = Report.fromJson(out.toString());
        assertEquals(RunStatus.FINISHED, report.status());
        assertEquals(2, report.workers().size());
        assertEquals(WorkerStatus.SUCCEEDED, report.worker("s_0.1").orElseThrow().status());
        // A run's files go in a directory of its own below --workdir, named by its id in the run store.
        assertEquals(directory.resolve("work").resolve(report.runId()).toString(), report.runDirectory());
        assertTrue(err.toString().contains("[2/2]"), err.toString());
        assertTrue(err.toString().matches("(?s).*run finished in [0-9.]+s: 2 succeeded.*"), err.toString());
    }

    @Test
    void javaOptionsReachTheWorkerJvms() throws IOException {
        Path batch = batch("{\"individual\": {\"sleeping_time\": [0]}}");
        // A heap too small to start proves the option reached the worker's JVM.
        assertEquals(3, run("run", "--report", "-", batch.toString(), "--java-option=-Xmx1m", "--workdir", directory.resolve("work").toString()));
        WorkerReport sleeper = Report.fromJson(out.toString()).workers().get(0);
        assertEquals(WorkerStatus.CRASHED, sleeper.status());
        // The JVM says why on its standard output.
        String said = Files.readString(Path.of(sleeper.stdout())) + Files.readString(Path.of(sleeper.stderr()));
        assertTrue(said.contains("heap"), said);

        assertEquals(2, run("run", batch.toString(), "--java-option", "Xmx2g"));
        assertTrue(err.toString().contains("--java-option 'Xmx2g' is not a JVM option"), err.toString());
    }

    @Test
    void someWorkersFailingExitsWithThreeAndTheReportIsWrittenToItsFile() throws IOException {
        Path batch = batch("{\"individual\": {\"sleeping_time\": [0, -1, 0]}}");
        Path reportFile = directory.resolve("report.json");
        int exitCode = run("run", batch.toString(), "--policy", "keep-going", "--report", reportFile.toString());

        assertEquals(3, exitCode, err.toString());
        assertEquals("sleeper-1: Hello !\nsleeper-3: Hello !\n", out.toString(), "the workers' output, in order of their ends");
        Report report = Report.fromJson(Files.readString(reportFile));
        assertEquals(1, report.failures().size());
        assertEquals(2, report.counts().get("succeeded"));
        assertTrue(err.toString().contains("sleeping_time must not be negative: -1.0"), err.toString());
    }

    @Test
    void failFastStopsTheRunAndStillWritesTheReport() throws IOException {
        Path batch = batch("{\"individual\": {\"sleeping_time\": [-1, 30]}}");
        int exitCode = run("run", "--report", "-", batch.toString(), "--max-threads", "2", "--policy", "fail-fast");

        assertEquals(3, exitCode, err.toString());
        Report report = Report.fromJson(out.toString());
        assertEquals(RunStatus.FAILED, report.status());
        assertEquals("java.lang.IllegalArgumentException", report.error().type());
    }

    @Test
    void aMalformedBatchNamesTheFileLineAndColumn() throws IOException {
        Path batch = batch("{\"individual\": {\n  \"sleeping_time\": [1, 2,]\n}}");
        assertEquals(2, run("run", batch.toString()));
        assertTrue(err.toString().contains(batch + ":2:"), err.toString());
        assertTrue(err.toString().contains("malformed JSON"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace without -v");
    }

    @Test
    void badInputIsOneClearLineAndExitTwo() throws IOException {
        assertBadInput("{\"individual\": {\"sleeping_time\": [1, 2], \"wakeup_sentence\": [\"a\"]}}",
                "sleeping_time has 2", "wakeup_sentence has 1");
        assertBadInput("{\"individual\": {\"sleeping_time\": [\"soon\"]}}", "instruction set #1",
                "sleeper: sleeping_time: 'soon' is not a double", "command: command: missing");
        assertBadInput("{\"commons\": {}}", "unknown key 'commons'");
        assertBadInput("[1, 2]", "expected a JSON object");

        assertEquals(2, run("run", directory.resolve("absent.json").toString()));
        assertTrue(err.toString().contains("absent.json does not exist"), err.toString());
        Path batch = batch("{}");
        assertEquals(2, run("run", batch.toString(), "--classpath", "/no/such.jar"));
        assertTrue(err.toString().contains("--classpath entry /no/such.jar does not exist"), err.toString());
        assertEquals(2, run("run", batch.toString(), "--policy", "sometimes"));
        assertTrue(err.toString().contains("'sometimes' is not a policy"), err.toString());
        assertEquals(2, run("run", batch.toString(), "--report", "/no/such/directory/report.json"));
        assertTrue(err.toString().contains("--report /no/such/directory/report.json cannot be written: no directory"), err.toString());
        assertEquals(2, run("run", batch.toString(), "--max-threads", "-1"));
        assertTrue(err.toString().contains("--max-threads must be 0 or more, not -1"), err.toString());
    }

    @Test
    void aSchedulerIsChosenByNameWithItsOptions() throws IOException {
        Path batch = batch("{\"common\": {\"memory\": 100}, \"individual\": {\"sleeping_time\": [0, 0]}}");
        assertEquals(0, run("run", "--report", "-", batch.toString(), "--scheduler", "max-memory", "--scheduler-option", "max=150"), err.toString());
        Report report = Report.fromJson(out.toString());
        assertEquals(2, report.counts().get("succeeded"));
        assertEquals(report.workers().get(0).ticket(), report.workers().get(1).ticket(), "150 MiB hold one 100 MiB set at a time");

        assertEquals(2, run("run", batch.toString(), "--scheduler", "fastest"));
        assertTrue(err.toString().contains("unknown scheduler 'fastest'; available: [") && err.toString().contains("fair-share, laxist,"),
                err.toString());
        assertEquals(2, run("run", batch.toString(), "--scheduler", "max-memory", "--scheduler-option", "maximum=1"));
        assertTrue(err.toString().contains("scheduler max-memory: unknown option [maximum]"), err.toString());
        assertEquals(2, run("run", batch.toString(), "-j", "4", "--scheduler-option", "threads=8"), "not one of them quietly");
        assertTrue(err.toString().contains("-j/--max-threads 4 and --scheduler-option threads=8 say two things of one option"),
                err.toString());
    }

    @Test
    void timeoutsRetriesAndHaltPoliciesFromTheCommandLine() throws IOException {
        // The quick one has a timeout of its own, long enough for a JVM to start on a loaded machine; the slow one
        // has --timeout's.
        Path batch = Files.writeString(directory.resolve("batch.jsonl"), "{\"name\": \"slow\", \"sleeping_time\": 30}\n"
                + "{\"name\": \"quick\", \"sleeping_time\": 0, \"timeout\": 600}\n");
        int exitCode = run("run", "--report", "-", batch.toString(), "-j", "2", "--timeout", "1", "--retries", "1", "--retry-backoff", "0",
                "--retry-on", "timed_out", "--halt", "never", "--grace", "0.5");
        assertEquals(3, exitCode, err.toString());
        Report report = Report.fromJson(out.toString());
        WorkerReport slow = report.worker("slow").orElseThrow();
        assertEquals(WorkerStatus.TIMED_OUT, slow.status());
        assertEquals(2, slow.attempt());
        assertEquals(2.0, slow.attempts().get(0).timeoutSeconds() * 2);
        assertEquals(WorkerStatus.SUCCEEDED, report.worker("quick").orElseThrow().status());

        assertEquals(2, run("run", batch.toString(), "--halt", "sometimes"));
        assertTrue(err.toString().contains("--halt: 'sometimes' is not a halt policy"), err.toString());
        assertEquals(2, run("run", batch.toString(), "--timeout", "0"));
        assertTrue(err.toString().contains("--timeout must be at least 0.001 seconds and at most a year (31536000), not 0.0"),
                err.toString());
        assertEquals(2, run("run", batch.toString(), "--timeout", "0.0001"), "0 ms: not a timeout the Boss takes");
        assertTrue(err.toString().contains("--timeout must be at least 0.001 seconds"), err.toString());
        assertEquals(2, run("run", batch.toString(), "--stall-timeout", "1e10"), "past what its nanoseconds hold");
        assertTrue(err.toString().contains("--stall-timeout must be at least 0.001 seconds and at most a year (31536000), not 1.0E10"),
                err.toString());
        assertEquals(2, run("run", batch.toString(), "--retries", "2", "--retry-on", "timeout"), "a misspelt timed_out");
        assertTrue(err.toString().contains("--retry-on 'timeout' is neither a status (failed, crashed, timed_out, memory_exceeded),"
                + " exit=CODE, nor an exception type's name"), err.toString());
        assertEquals(2, run("run", batch.toString(), "--memory-tolerance", "NaN"));
        assertTrue(err.toString().contains("--memory-tolerance must be a number above 0, not NaN"), err.toString());
        assertEquals(2, run("run", batch.toString(), "--retry-on", "failed"));
        assertTrue(err.toString().contains("--retry-on needs --retries"), err.toString());
    }

    @Test
    void theWarmPoolRunsJavaWorkersFromTheCommandLine() throws IOException {
        Path batch = batch("{\"individual\": {\"sleeping_time\": [0, 0, 0, 0]}}");
        assertEquals(0, run("run", "--report", "-", batch.toString(), "--launcher", "pool", "-j", "2"), err.toString());
        assertEquals(4, Report.fromJson(out.toString()).counts().get("succeeded"));
        assertEquals(2, run("run", batch.toString(), "--launcher", "cloud"));
        assertTrue(err.toString().contains("--launcher 'cloud' is not one of local, pool"), err.toString());
    }

    @Test
    void aBugIsAnInternalErrorExitOneWithoutAStackTraceUnlessVerbose() throws IOException {
        Path batch = batch("{\"individual\": {\"sleeping_time\": [0]}}");
        assertEquals(1, run("run", batch.toString(), "--scheduler", "broken-for-tests"));
        assertTrue(err.toString().contains("taylorism: internal error: a bug in a scheduler provider"), err.toString());
        assertTrue(err.toString().contains("(run with -v for the stack trace)"), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());

        err.reset();
        assertEquals(1, run("run", batch.toString(), "--scheduler", "broken-for-tests", "-v"));
        assertTrue(err.toString().contains("\tat org.taylorism.cli.BrokenSchedulerProvider.create"), err.toString());
    }

    private void assertBadInput(String json, String... expected) throws IOException {
        err.reset();
        Path batch = batch(json);
        assertEquals(2, run("run", batch.toString()), err.toString());
        for (String text : expected) {
            assertTrue(err.toString().contains(text), "expected '" + text + "' in: " + err);
        }
    }

    @Test
    void helpListsTheExitCodesAndVersionComesFromTheManifest() {
        assertEquals(0, run("run", "--help"));
        assertTrue(out.toString().contains("3     some workers failed"), out.toString());
        assertTrue(out.toString().contains("130   interrupted"), out.toString());
        out.reset();
        assertEquals(0, run("--version"));
        assertTrue(out.toString().startsWith("taylorism "), out.toString());
        assertEquals(2, run());
        assertTrue(err.toString().contains("A subcommand is needed."), err.toString());
    }
}
