package org.taylorism.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taylorism.testing.Awaits.await;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Boss;
import org.taylorism.HaltPolicy;
import org.taylorism.Report;
import org.taylorism.ResumePolicy;
import org.taylorism.RetryPolicy;
import org.taylorism.RunStatus;
import org.taylorism.RunStoreException;
import org.taylorism.Scheduler;
import org.taylorism.Task;
import org.taylorism.WorkerRegistry;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.spi.RunJournal;
import org.taylorism.spi.RunStart;
import org.taylorism.testing.Leaks;
import org.taylorism.testing.RecordingLauncher;
import org.taylorism.testing.TestWorkers;

/** The run store on real SQLite: what a Boss records as it goes, and the report read back without it. */
class JdbcRunStoreTest {

    @TempDir
    Path directory;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        Leaks.assertNoBossThreads();
    }

    private JdbcRunStore store() {
        JdbcRunStore store = JdbcRunStore.open(directory.resolve("state/runs.db"));
        toClose.add(store);
        return store;
    }

    private Boss boss(JdbcRunStore store, RecordingLauncher launcher, RetryPolicy retries) {
        return built(builder(store, launcher).retryPolicy(retries));
    }

    private static Boss.Builder builder(JdbcRunStore store, RecordingLauncher launcher) {
        return Boss.builder().store(store).launcher(launcher).scheduler(Scheduler.maxThreads(2)).haltPolicy(HaltPolicy.KEEP_GOING)
                .recordedAs("test.json", Map.of("max-threads", "2"))
                .registry(WorkerRegistry.builder().register(TestWorkers.Echo.class).build());
    }

    private Boss built(Boss.Builder builder) {
        Boss boss = builder.build();
        toClose.add(boss);
        return boss;
    }

    private static String onlyRunId(JdbcRunStore store) {
        List<RunSummary> runs = store.runs();
        assertEquals(1, runs.size(), runs.toString());
        return runs.get(0).id();
    }

    @Test
    void aRunIsRecordedAsItGoesAndItsReportIsRebuiltFromTheStoreAlone() {
        JdbcRunStore store = store();
        RecordingLauncher launcher = new RecordingLauncher();
        Boss boss = boss(store, launcher, RetryPolicy.attempts(2).withBackoff(Duration.ZERO, 1).withRetryOn(Set.of())
                .withRetryExceptionTypes(Set.of("IOException")));
        boss.addInstructions(List.of(TestWorkers.echoSet("a"), TestWorkers.echoSet("flaky"), TestWorkers.echoSet("c")));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 2);
        String id = onlyRunId(store);
        await().until(() -> store.report(id).running().size() == 2);
        Report midway = store.report(id);
        assertEquals(RunStatus.INTERIM, midway.status());
        assertEquals(List.of("c"), midway.pendingNames());
        assertEquals("running", store.runs().get(0).status());

        launcher.succeed("a", Map.of("answer", 42));
        launcher.fail("flaky", "java.io.IOException", "network");
        await().until(() -> launcher.launchCount("flaky") == 2 && launcher.launchedNames().contains("c"));
        launcher.succeed("flaky", "second time");
        launcher.fail("c", "java.lang.IllegalStateException", "boom");
        Report report = boss.waitTillFinished();

        assertEquals(id, report.runId());
        assertEquals(directory.resolve("state/runs").resolve(id).toString(), report.runDirectory(), "the run's own directory");
        assertEquals(report, store.report(id), "the store holds the report the Boss handed out");
        assertEquals(report, store.report(id.substring(0, 12)), "a prefix only one run has names it");
        assertEquals(report, Report.fromJson(streamed(store, id)), "streamed from the store, it is the same report");
        assertEquals(List.of(WorkerStatus.FAILED),
                store.report(id).worker("flaky").orElseThrow().attempts().stream().map(attempt -> attempt.status()).toList());
        RunSummary summary = store.runs().get(0);
        assertEquals("finished", summary.status());
        assertEquals("test.json", summary.source());
        assertEquals(Map.of("succeeded", 2, "failed", 1), summary.counts());
    }

    @Test
    void theReportsABossLetGoOfAreReadBackByNameWhileItRuns() {
        JdbcRunStore store = store();
        RecordingLauncher launcher = new RecordingLauncher();
        Boss boss = Boss.builder().store(store).launcher(launcher).scheduler(Scheduler.maxThreads(3)).haltPolicy(HaltPolicy.KEEP_GOING)
                .retainEnded(1, null).registry(WorkerRegistry.builder().register(TestWorkers.Echo.class).build()).build();
        toClose.add(boss);
        boss.addInstructions(List.of(TestWorkers.echoSet("a"), TestWorkers.echoSet("b"), TestWorkers.echoSet("c")));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 3);
        launcher.succeed("a", "first");
        launcher.fail("b", "x.Broken", "no");
        await().until(() -> boss.interimReport().counts().get("failed") == 1);
        Report held = boss.interimReport();
        assertEquals(List.of("b"), held.workers().stream().map(WorkerReport::name).toList(), "the Boss holds the latest only");
        assertEquals(1, held.notHeld());

        // Asked at once: the store has what the Boss let go of, written or not when asked.
        Map<String, WorkerReport> read = store.endedReports(held.runId(), List.of("a", "b", "c", "nobody"));
        assertEquals(Set.of("a", "b"), read.keySet(), "c runs; nobody is not in the run");
        assertEquals("first", read.get("a").result());
        assertEquals(WorkerStatus.FAILED, read.get("b").status());
        assertEquals("no", read.get("b").error().message());

        launcher.succeed("c", "last");
        Report whole = Report.fromJson(streamed(store, boss.waitTillFinished().runId()));
        assertEquals(List.of("a", "b", "c"), whole.workers().stream().map(WorkerReport::name).toList(),
                "streamed from the store, the report lists what the Boss let go of, in completion order");
        assertEquals("first", whole.worker("a").orElseThrow().result());
        assertEquals(TestWorkers.echoSet("a").get("message"), whole.worker("a").orElseThrow().instructions().get("message"));
        assertEquals(Map.of("succeeded", 2, "failed", 1), Map.of("succeeded", whole.counts().get("succeeded"), "failed",
                whole.counts().get("failed")));
    }

    private static String streamed(JdbcRunStore store, String runId) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            store.writeReport(runId, out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aReportStreamedToASlowReaderHoldsUpNoOtherCallerOfTheStore() throws Exception {
        JdbcRunStore store = store();
        RecordingLauncher launcher = new RecordingLauncher();
        Boss boss = boss(store, launcher, RetryPolicy.NONE);
        boss.addInstructions(List.of(TestWorkers.echoSet("a")));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().contains("a"));
        launcher.succeed("a", 1);
        boss.end();
        String runId = boss.waitTillFinished().runId();

        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch readerWakes = new CountDownLatch(1);
        OutputStream stalled = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                writing.countDown();
                try {
                    readerWakes.await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
            }
        };
        CompletableFuture<Void> streaming = CompletableFuture.runAsync(() -> {
            try {
                store.writeReport(runId, stalled);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            // Bounded, and from other threads, so that a store that waits for the stalled reader fails this test, not hangs it.
            await().until(() -> writing.getCount() == 0 || streaming.isDone());
            assertFalse(streaming.isDone(), "the report is being written");
            List<RunSummary> runs = CompletableFuture.supplyAsync(store::runs).get(2, TimeUnit.MINUTES);
            assertEquals(List.of(runId), runs.stream().map(RunSummary::id).toList());
        } finally {
            readerWakes.countDown();
        }
        streaming.get(2, TimeUnit.MINUTES);
    }

    @Test
    void aSubTaskIsRecordedWithItsParent() {
        JdbcRunStore store = store();
        RecordingLauncher launcher = new RecordingLauncher();
        Boss boss = boss(store, launcher, RetryPolicy.NONE);
        Task parent = boss.addInstructions(List.of(TestWorkers.echoSet("p"))).get(0);
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().contains("p"));
        boss.addSubTasks(parent, List.of(TestWorkers.echoSet("c")));
        await().until(() -> launcher.launchedNames().contains("p/c"));
        launcher.succeed("p/c", 1);
        launcher.succeed("p", 2);
        boss.end();
        Report report = boss.waitTillFinished();
        Map<String, String> parents = new HashMap<>();
        store.prior(report.runId()).sets().values().forEach(set -> parents.put(set.name(), String.valueOf(set.parent())));
        assertEquals(Map.of("p", "null", "p/c", "p"), parents);
    }

    @Test
    void exportsWriteGnuParallelsJoblogCsvAndJson() {
        JdbcRunStore store = store();
        RecordingLauncher launcher = new RecordingLauncher();
        Boss boss = boss(store, launcher, RetryPolicy.NONE);
        boss.addInstructions(List.of(TestWorkers.echoSet("ok"), TestWorkers.echoSet("dead, with a comma")));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 2);
        launcher.succeed("ok", 1);
        launcher.crash("dead, with a comma", 137);
        boss.waitTillFinished();
        String id = onlyRunId(store);

        String joblog = export(store, id, JdbcRunStore.ExportFormat.JOBLOG);
        List<String> lines = joblog.lines().toList();
        assertEquals("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand", lines.get(0));
        assertEquals(3, lines.size(), joblog);
        String[] dead = lines.get(2).split("\t");
        assertEquals(List.of("2", ":", "0", "0", "137", "0", "Echo dead, with a comma"),
                List.of(dead[0], dead[1], dead[4], dead[5], dead[6], dead[7], dead[8]));

        String csv = export(store, id, JdbcRunStore.ExportFormat.CSV);
        assertTrue(csv.lines().anyMatch(line -> line.startsWith("\"dead, with a comma\",Echo,crashed,no_result,1,137,")), csv);
        assertEquals(store.report(id), Report.fromJson(export(store, id, JdbcRunStore.ExportFormat.JSON)));
    }

    private static String export(JdbcRunStore store, String id, JdbcRunStore.ExportFormat format) {
        StringWriter text = new StringWriter();
        store.export(id, format, new PrintWriter(text));
        return text.toString();
    }

    @Test
    void theSameBatchGetsTheSameKeysSetForSetAndAChangedSetANewOne() throws Exception {
        JdbcRunStore store = store();
        List<Map<String, Object>> batch = List.of(Map.of("message", "x"), Map.of("message", "x"), Map.of("message", "y"));
        for (int run = 0; run < 2; run++) {
            RecordingLauncher launcher = new RecordingLauncher();
            Boss boss = boss(store, launcher, RetryPolicy.NONE);
            boss.addInstructions(run == 0 ? batch : List.of(Map.of("message", "x"), Map.of("message", "x"), Map.of("message", "z")));
            boss.makeThemWork();
            await().until(() -> launcher.launchedNames().size() == 2);
            launcher.launchedNames().forEach(name -> launcher.succeed(name, null));
            await().until(() -> launcher.launchedNames().size() == 3);
            launcher.succeed(launcher.launchedNames().get(2), null);
            boss.waitTillFinished();
        }
        List<RunSummary> runs = store.runs();
        List<String> first = keys(runs.get(0).id());
        List<String> second = keys(runs.get(1).id());
        assertEquals(3, first.stream().distinct().count(), "two identical sets are told apart by their position: " + first);
        assertEquals(first.subList(0, 2), second.subList(0, 2), "generated names differ, keys do not");
        assertTrue(!first.get(2).equals(second.get(2)), "a changed set has a new key");
    }

    private List<String> keys(String runId) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("state/runs.db"));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT key FROM sets JOIN runs ON runs.number = sets.run WHERE runs.id = '" + runId + "' ORDER BY position")) {
            List<String> keys = new ArrayList<>();
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
            return keys;
        }
    }

    @Test
    void aStoreWrittenByANewerTaylorismIsRefusedAndLeftAsItIs() throws Exception {
        Path file = Files.createDirectories(directory.resolve("newer")).resolve("runs.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA user_version = 99");
        }
        RunStoreException refused = assertThrows(RunStoreException.class, () -> JdbcRunStore.open(file));
        assertTrue(refused.getMessage().contains("the run store " + file + " was written by a newer taylorism (schema 99)"),
                refused.getMessage());
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
            assertEquals(99, rows.getInt(1));
        }
    }

    @Test
    void aStoreThatCannotBeMadeIsNamedBeforeAnythingStarts() throws Exception {
        Path regularFile = Files.writeString(directory.resolve("not-a-directory"), "x");
        RunStoreException underAFile = assertThrows(RunStoreException.class, () -> JdbcRunStore.open(regularFile.resolve("runs.db")));
        assertTrue(underAFile.getMessage().contains(regularFile.resolve("runs.db").toString()), underAFile.getMessage());
        Path aDirectory = Files.createDirectories(directory.resolve("runs.db"));
        RunStoreException isADirectory = assertThrows(RunStoreException.class, () -> JdbcRunStore.open(aDirectory));
        assertTrue(isADirectory.getMessage().contains("is a directory"), isADirectory.getMessage());
        Path garbage = Files.writeString(directory.resolve("garbage.db"), "this is not an SQLite file, not at all");
        RunStoreException notAStore = assertThrows(RunStoreException.class, () -> JdbcRunStore.open(garbage));
        assertTrue(notAStore.getMessage().startsWith("cannot open the run store " + garbage), notAStore.getMessage());
    }

    @Test
    void gcKeepsAnOldRunWhileARunKeptCarriesItsReports() throws Exception {
        JdbcRunStore store = store();
        RecordingLauncher first = new RecordingLauncher();
        Boss boss = boss(store, first, RetryPolicy.NONE);
        boss.addInstructions(List.of(TestWorkers.echoSet("a"), TestWorkers.echoSet("b")));
        boss.makeThemWork();
        await().until(() -> first.launchedNames().size() == 2);
        first.succeed("a", "done");
        first.fail("b", "java.lang.IllegalStateException", "broke");
        String old = boss.waitTillFinished().runId();
        RecordingLauncher second = new RecordingLauncher();
        Boss resumed = built(builder(store, second).resume(old, ResumePolicy.standard()));
        resumed.addInstructions(List.of(TestWorkers.echoSet("a"), TestWorkers.echoSet("b")));
        resumed.makeThemWork();
        await().until(() -> second.launchedNames().equals(List.of("b")));
        second.succeed("b", "done at last");
        Report report = resumed.waitTillFinished();
        assertEquals(old, report.worker("a").orElseThrow().carriedFrom());
        Path oldDirectory = Path.of(store.report(old).runDirectory());
        Files.createDirectories(oldDirectory);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("state/runs.db"));
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 30000"); // the store's writer may be committing
            statement.executeUpdate("UPDATE runs SET started_at = 0 WHERE id = '" + old + "'");
        }

        assertEquals(List.of(), store.gc(Duration.ofDays(1)), "the old run's reports are shown by the new one");
        assertTrue(Files.isDirectory(oldDirectory), "and so are its files");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("state/runs.db"));
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 30000"); // the store's writer may be committing
            statement.executeUpdate("UPDATE runs SET started_at = 0");
        }
        assertEquals(Set.of(old, report.runId()), Set.copyOf(store.gc(Duration.ofDays(1))), "both old now");
        assertFalse(Files.exists(oldDirectory));
    }

    @Test
    void aRunIsNotResumedTwiceAtOnce() {
        JdbcRunStore store = store();
        String resumedRun = "20260101-000000-abcd";
        RunJournal first = store.begin(resuming(resumedRun), error -> { });
        RunStoreException twice = assertThrows(RunStoreException.class, () -> store.begin(resuming(resumedRun), error -> { }));
        assertTrue(twice.getMessage().startsWith("run " + resumedRun + " is being resumed already, by run " + first.runId() + " (pid "
                + ProcessHandle.current().pid()), twice.getMessage());
        assertEquals(1, store.runs().size(), "nothing of the second was recorded");

        first.finish(Report.of(RunStatus.FINISHED, List.of(), List.of(), List.of(), null, null, directory, first.runId()));
        RunJournal later = store.begin(resuming(first.runId()), error -> { });
        assertEquals(2, store.runs().size(), "once the first has ended, it may be resumed again");

        RunStoreException ofItsLineage = assertThrows(RunStoreException.class, () -> store.begin(resuming(resumedRun), error -> { }));
        assertTrue(ofItsLineage.getMessage().startsWith("run " + resumedRun + " is being resumed already, by run " + later.runId()),
                "a live run resumes the run that resumed it: " + ofItsLineage.getMessage());
        later.finish(Report.of(RunStatus.FINISHED, List.of(), List.of(), List.of(), null, null, directory, later.runId()));
    }

    @Test
    void gcKeepsAnOldRunThatALiveRunResumes() throws Exception {
        JdbcRunStore store = store();
        RunJournal old = store.begin(resuming(null), error -> { });
        old.finish(Report.of(RunStatus.FINISHED, List.of(), List.of(), List.of(), null, null, directory, old.runId()));
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("state/runs.db"));
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 30000"); // the store's writer may be committing
            statement.executeUpdate("UPDATE runs SET started_at = 0");
        }
        RunJournal resumer = store.begin(resuming(old.runId()), error -> { });

        assertEquals(List.of(), store.gc(Duration.ofDays(1)), "it carries the old run's reports as it goes, not all written yet");
        resumer.finish(Report.of(RunStatus.FINISHED, List.of(), List.of(), List.of(), null, null, directory, resumer.runId()));
        assertEquals(2, store.runs().size());
    }

    private RunStart resuming(String runId) {
        return new RunStart(Instant.now(), "test", "max-threads", "keep-going", "none", Map.of(), directory, runId);
    }

    @Test
    void gcRemovesOldRunsAndTheirOwnDirectories() {
        JdbcRunStore store = store();
        RecordingLauncher launcher = new RecordingLauncher();
        Boss boss = boss(store, launcher, RetryPolicy.NONE);
        boss.addInstructions(List.of(TestWorkers.echoSet("a")));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 1);
        launcher.succeed("a", null);
        Report report = boss.waitTillFinished();
        Path runDirectory = Path.of(report.runDirectory());
        assertTrue(Files.isDirectory(runDirectory));

        assertEquals(List.of(), store.gc(Duration.ofDays(1)), "younger than a day");
        assertEquals(List.of(report.runId()), store.gc(Duration.ZERO));
        assertTrue(store.runs().isEmpty());
        assertTrue(!Files.exists(runDirectory));
    }
}
