package org.taylorism.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Report;
import org.taylorism.RunStatus;
import org.taylorism.WorkerStatus;
import org.taylorism.internal.Json;

/** Every run in a store, and looking back at it: {@code runs}, {@code show}, {@code export}, {@code gc}. */
class RunStoreCommandsTest {

    @TempDir
    Path directory;

    private CliRun cli = new CliRun();

    private int run(String... args) {
        cli = new CliRun();
        return cli.run(args);
    }

    private String out() {
        return cli.out.toString();
    }

    private String err() {
        return cli.err.toString();
    }

    private String store() {
        return directory.resolve("state/runs.db").toString();
    }

    @AfterEach
    void noLeftovers() {
        org.taylorism.testing.Leaks.assertNoBossThreads();
        org.taylorism.testing.Leaks.assertNoChildProcesses();
    }

    /** A run of three programs, one of which fails; returns its report. */
    private Report oneRun() throws IOException {
        Path batch = Files.writeString(directory.resolve("batch.json"),
                "{\"individual\": {\"command\": [[\"true\"], [\"sh\", \"-c\", \"echo no >&2; exit 3\"], [\"true\"]],"
                        + " \"name\": [\"a\", \"b, c\", \"d\"]}}");
        assertEquals(3, run("run", "--report", "-", batch.toString(), "--store", store(), "--policy", "keep-going", "-j", "2", "--no-progress"), err());
        Report report = Report.fromJson(out());
        assertTrue(err().contains("run: " + report.runId() + " (taylorism show " + report.runId() + ")"), err());
        return report;
    }

    @Test
    void everyRunIsListedAndShownFromTheStore() throws Exception {
        Report report = oneRun();
        String id = report.runId();
        assertEquals(directory.resolve("state/runs").resolve(id).toString(), report.runDirectory(), "beside the store, named by its id");

        assertEquals(0, run("runs", "--store", store()), err());
        List<String> lines = out().lines().toList();
        assertEquals(2, lines.size(), out());
        assertTrue(lines.get(1).startsWith(id), out());
        assertTrue(lines.get(1).matches(".*\\bfinished\\s+2 succeeded, 1 failed$") || lines.get(1).matches(".*\\bfinished\\s+1 failed, 2 succeeded$"),
                lines.get(1));

        assertEquals(0, run("runs", "--store", store(), "--json"), err());
        List<?> runs = Json.MAPPER.readValue(out(), List.class);
        assertEquals(id, ((Map<?, ?>) runs.get(0)).get("id"));
        assertEquals(directory.resolve("batch.json").toString(), ((Map<?, ?>) runs.get(0)).get("source"));

        assertEquals(0, run("show", id.substring(0, 10), "--store", store(), "--json"), err());
        assertEquals(report, Report.fromJson(out()), "the report, rebuilt from the store alone");
        assertEquals(0, run("show", id, "--store", store(), "--status", "failed"), err());
        assertTrue(out().contains("failed          b, c (exit_code)"), out());
        assertFalse(out().contains("succeeded       a"), out());
    }

    @Test
    void exportWritesGnuParallelsJoblogAndCsv() throws Exception {
        String id = oneRun().runId();
        assertEquals(0, run("export", id, "--store", store(), "--format", "joblog"), err());
        List<String> joblog = out().lines().toList();
        assertEquals(4, joblog.size(), out());
        assertTrue(joblog.stream().anyMatch(line -> line.matches("\\d\t:\t[0-9.]+\t[0-9.]+\t0\t0\t3\t0\tsh -c echo no >&2; exit 3")), out());

        assertEquals(0, run("export", id, "--store", store(), "--format", "csv"), err());
        assertTrue(out().lines().anyMatch(line -> line.startsWith("\"b, c\",command,failed,exit_code,1,3,")), out());

        assertEquals(2, run("export", id, "--store", store(), "--format", "xml"));
        assertTrue(err().contains("'xml' is not a format: use joblog, csv or json"), err());
    }

    @Test
    void gcRemovesOldRunsWithTheirDirectories() throws Exception {
        Report report = oneRun();
        assertEquals(0, run("gc", "--older-than", "30d", "--store", store()), err());
        assertEquals("no run to remove", out().strip());
        assertTrue(Files.isDirectory(Path.of(report.runDirectory())));

        assertEquals(0, run("gc", "--older-than", "0s", "--store", store()), err());
        assertEquals("removed 1 runs: " + report.runId(), out().strip());
        assertFalse(Files.exists(Path.of(report.runDirectory())));
        assertEquals(2, run("gc", "--older-than", "soon", "--store", store()));
        assertTrue(err().contains("'soon' is not an age"), err());
    }

    @Test
    void aStoreThatCannotBeUsedStopsTheRunBeforeItStartsWithExitFive() throws IOException {
        Path batch = Files.writeString(directory.resolve("batch.json"), "{\"individual\": {\"command\": [[\"true\"]]}}");
        Path notADirectory = Files.writeString(directory.resolve("file"), "x");
        assertEquals(5, run("run", batch.toString(), "--store", notADirectory.resolve("runs.db").toString()));
        assertTrue(err().contains("taylorism: cannot make the directory of the run store " + notADirectory.resolve("runs.db")), err());
        assertEquals("", out(), "nothing ran");

        assertEquals(5, run("show", "nothing", "--store", store()));
        assertTrue(err().contains("no run 'nothing' in the run store"), err());
    }

    @Test
    void noStoreRunsWithoutRecordingAnything() throws IOException {
        Path batch = Files.writeString(directory.resolve("batch.json"), "{\"individual\": {\"command\": [[\"true\"]]}}");
        assertEquals(0, run("run", "--report", "-", batch.toString(), "--store", store(), "--no-store", "--workdir", directory.resolve("work").toString()),
                err());
        Report report = Report.fromJson(out());
        assertEquals(RunStatus.FINISHED, report.status());
        assertEquals(null, report.runId());
        assertEquals(directory.resolve("work"), Path.of(report.runDirectory()).getParent());
        assertTrue(Path.of(report.runDirectory()).getFileName().toString().matches("run-\\d{8}-\\d{6}-\\p{XDigit}{8}"),
                report.runDirectory());
        assertFalse(Files.exists(Path.of(store())));

        assertEquals(0, run("run", "--report", "-", batch.toString(), "--no-store", "--workdir", directory.resolve("work").toString()), err());
        assertNotEquals(report.runDirectory(), Report.fromJson(out()).runDirectory(), "a second run keeps the first one's files");
    }

    @Test
    void resumeRunsOnlyWhatDidNotSucceedAndRetryFailedOnlyWhatFailed() throws Exception {
        Path flag = directory.resolve("flag");
        Path marks = Files.createDirectories(directory.resolve("marks"));
        // "once" succeeds and leaves a mark each time it runs; "flaky" fails until the flag exists; "late" too, but a
        // first run that fails fast never gets to it.
        Path batch = Files.writeString(directory.resolve("batch.jsonl"), String.join("\n",
                "{\"name\": \"once\", \"command\": [\"mktemp\", \"" + marks + "/once.XXXXXX\"]}",
                "{\"name\": \"flaky\", \"command\": [\"test\", \"-e\", \"" + flag + "\"]}",
                "{\"name\": \"late\", \"command\": [\"test\", \"-e\", \"" + flag + "\"]}"));
        assertEquals(3, run("run", "--report", "-", batch.toString(), "--store", store(), "-j", "1", "--no-progress", "--policy", "fail-fast"), err());
        Report first = Report.fromJson(out());
        assertEquals(List.of("late"), first.pendingNames(), "fail-fast: it never started");

        assertEquals(3, run("retry-failed", "--report", "-", first.runId().substring(0, 17), "--store", store(), "--no-progress"), err());
        Report retried = Report.fromJson(out());
        assertEquals(first.runId(), retried.worker("once").orElseThrow().carriedFrom());
        assertEquals(WorkerStatus.FAILED, retried.worker("flaky").orElseThrow().status(), "run again, failed again");
        assertEquals(null, retried.worker("flaky").orElseThrow().carriedFrom());
        assertEquals(List.of("late"), retried.pendingNames(), "retry-failed runs only what failed");
        assertTrue(retried.pending().get(0).reason().contains("never started in run " + first.runId()), retried.pending().get(0).reason());

        Files.writeString(flag, "");
        assertEquals(0, run("run", "--report", "-", "--resume", batch.toString(), "--store", store(), "--no-progress"), err());
        Report resumed = Report.fromJson(out());
        assertTrue(resumed.isSuccess(), resumed.counts().toString());
        assertEquals(List.of("flaky", "late", "once"), resumed.workers().stream().map(worker -> worker.name()).sorted().toList());
        assertEquals(first.runId(), resumed.worker("once").orElseThrow().carriedFrom(), "carried over twice, from where it ran");
        assertTrue(err().contains("carried over from earlier runs, not run again: 1 sets"), err());
        try (var files = Files.list(marks)) {
            assertEquals(1, files.count(), "'once' ran once over three runs");
        }
        assertEquals(0, run("runs", "--store", store()), err());
        assertTrue(out().contains("(resumes " + retried.runId() + ")"), out());
    }

    @Test
    void aResumeThatCannotBeIsABadInputOrAStoreError() throws Exception {
        Path batch = Files.writeString(directory.resolve("batch.jsonl"), "{\"command\": [\"true\"]}");
        assertEquals(5, run("run", batch.toString(), "--store", store(), "--resume", "--no-progress"), err());
        assertTrue(err().contains("no earlier run of " + batch), err());
        assertEquals(2, run("run", batch.toString(), "--no-store", "--resume"), err());
        assertTrue(err().contains("--no-store"), err());
        assertEquals(2, run("run", batch.toString(), "--store", store(), "--resume-policy", "failed=skip"), err());
        assertTrue(err().contains("--resume-policy needs --resume"), err());
        assertEquals(0, run("run", batch.toString(), "--store", store(), "--no-progress"), err());
        assertEquals(2, run("run", batch.toString(), "--store", store(), "--resume", "--resume-policy", "failed=perhaps"), err());
        assertTrue(err().contains("'failed=perhaps'"), err());
        assertEquals(5, run("retry-failed", "nosuchrun", "--store", store()), err());
        assertTrue(err().contains("no run 'nosuchrun'"), err());
    }

    @Test
    void aRunThatLetGoOfItsOldReportsWritesThemAllFromTheStoreWithCommonDataOnce() throws Exception {
        String common = "c".repeat(500);
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            batch.append("{\"name\": \"s").append(i).append("\", \"command\": [\"sh\", \"-c\", \"exit $0\", \"")
                    .append(i == 1 ? 4 : 0).append("\"], \"env\": {\"DATA\": \"").append(common).append("\"}}\n");
        }
        Path file = Files.writeString(directory.resolve("batch.jsonl"), batch);
        Path reportFile = directory.resolve("report.json");
        // The Boss holds the latest two reports: the failure, among the first, is let go of long before the end.
        assertEquals(3, run("run", file.toString(), "--store", store(), "-j", "1", "--no-progress", "--reports-held", "2",
                "--report", reportFile.toString()), err());
        assertTrue(err().contains("5 succeeded, 1 failed"), err());
        assertTrue(err().contains("... and 1 more that did not succeed (taylorism show"), "counted, though not held: " + err());

        String json = Files.readString(reportFile);
        Report report = Report.fromJson(json);
        assertEquals(List.of("s0", "s1", "s2", "s3", "s4", "s5"), report.workers().stream().map(w -> w.name()).toList());
        assertEquals(WorkerStatus.FAILED, report.worker("s1").orElseThrow().status());
        assertEquals(Map.of("DATA", common), report.worker("s4").orElseThrow().instructions().get("env"));
        assertEquals(json.indexOf(common), json.lastIndexOf(common), "the data every set shares is written once");
        assertEquals(json, Files.readString(Path.of(report.runDirectory()).resolve("report.json")), "the run directory's copy");

        assertEquals(3, run("run", file.toString(), "--store", store(), "-j", "1", "--no-progress", "--reports-held", "2",
                "--report", "-"), err());
        assertEquals(6, Report.fromJson(out()).workers().size(), "standard output gets the whole report too");
    }
}
