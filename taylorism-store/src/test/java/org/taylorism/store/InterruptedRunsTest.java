package org.taylorism.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Boss;
import org.taylorism.Report;
import org.taylorism.RunStatus;
import org.taylorism.Scheduler;
import org.taylorism.WorkerRegistry;
import org.taylorism.WorkerStatus;
import org.taylorism.testing.Leaks;

/** Runs whose Boss died without ending them, and stores shared by several Bosses at once. */
class InterruptedRunsTest {

    @TempDir
    Path directory;

    private Process boss;

    @AfterEach
    void noLeftovers() {
        if (boss != null) {
            boss.destroyForcibly();
        }
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    @Test
    void aBossKilledWithSigkillLeavesItsRunInterruptedWithWhatItHadDone() throws Exception {
        Path file = directory.resolve("runs.db");
        boss = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // sqlite-jdbc's native library is extracted there: a JVM killed with SIGKILL cannot delete it
                "-Dorg.sqlite.tmpdir=" + directory, "-cp", System.getProperty("java.class.path"), StoreBossProgram.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader said = new BufferedReader(new InputStreamReader(boss.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", CompletableFuture.supplyAsync(() -> {
            try {
                return said.readLine();
            } catch (java.io.IOException e) {
                return e.toString();
            }
        }).get(60, TimeUnit.SECONDS));

        new ProcessBuilder("kill", "-KILL", String.valueOf(boss.pid())).start().waitFor();
        assertTrue(boss.waitFor(30, TimeUnit.SECONDS));

        try (JdbcRunStore store = JdbcRunStore.open(file)) {
            List<RunSummary> runs = store.runs();
            assertEquals(1, runs.size());
            assertEquals("interrupted", runs.get(0).status());
            Report report = store.report(runs.get(0).id());
            assertEquals(RunStatus.INTERRUPTED, report.status());
            assertEquals(WorkerStatus.SUCCEEDED, report.worker("quick").orElseThrow().status());
            assertEquals(List.of("long"), report.runningNames(), "it ran when its Boss died");
            assertEquals(List.of("never"), report.pendingNames());
            assertEquals("never started: the run was interrupted", report.pending().get(0).reason());
        }
    }

    @Test
    void twoBossesRecordIntoOneStoreAtOnce() throws Exception {
        Path file = directory.resolve("shared.db");
        List<CompletableFuture<Report>> runs = new ArrayList<>();
        List<AutoCloseable> opened = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            JdbcRunStore store = JdbcRunStore.open(file);
            opened.add(store);
            List<Map<String, Object>> sets = new ArrayList<>();
            for (int j = 0; j < 30; j++) {
                sets.add(Map.of("command", List.of("true")));
            }
            runs.add(CompletableFuture.supplyAsync(() -> {
                try (Boss each = Boss.builder().store(store).scheduler(Scheduler.maxThreads(2))
                        .registry(WorkerRegistry.builder().build()).build()) {
                    each.addInstructions(sets);
                    each.makeThemWork();
                    return each.waitTillFinished();
                }
            }));
        }
        for (CompletableFuture<Report> run : runs) {
            assertEquals(30, run.get(120, TimeUnit.SECONDS).counts().get("succeeded"));
        }
        for (AutoCloseable store : opened) {
            store.close();
        }
        try (JdbcRunStore store = JdbcRunStore.open(file)) {
            List<RunSummary> summaries = store.runs();
            assertEquals(2, summaries.size());
            for (RunSummary summary : summaries) {
                assertEquals("finished", summary.status());
                assertEquals(Map.of("succeeded", 30), summary.counts());
            }
        }
    }
}
