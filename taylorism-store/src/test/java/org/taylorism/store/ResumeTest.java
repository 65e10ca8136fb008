package org.taylorism.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taylorism.testing.Awaits.await;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Boss;
import org.taylorism.HaltPolicy;
import org.taylorism.InstructionsException;
import org.taylorism.PriorOutcome;
import org.taylorism.Report;
import org.taylorism.ResumeAction;
import org.taylorism.ResumePolicy;
import org.taylorism.RunStoreException;
import org.taylorism.Scheduler;
import org.taylorism.Signal;
import org.taylorism.WorkerRegistry;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.testing.Leaks;
import org.taylorism.testing.RecordingLauncher;
import org.taylorism.testing.TestWorkers;

/** Runs that take up an earlier run of their store: what is skipped, carried over, run again or left not run. */
class ResumeTest {

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

    private Boss.Builder builder(JdbcRunStore store, RecordingLauncher launcher) {
        return Boss.builder().store(store).launcher(launcher).scheduler(Scheduler.maxThreads(3)).haltPolicy(HaltPolicy.KEEP_GOING)
                .recordedAs("batch.json", Map.of()).registry(WorkerRegistry.builder().register(TestWorkers.Echo.class).build());
    }

    private Boss started(Boss.Builder builder, List<Map<String, Object>> sets) {
        Boss boss = builder.build();
        toClose.add(boss);
        boss.addInstructions(sets);
        boss.makeThemWork();
        return boss;
    }

    private static List<Map<String, Object>> sets(String... names) {
        return java.util.Arrays.stream(names).map(name -> TestWorkers.echoSet(name)).toList();
    }

    /** A first run of a, b, c, d: a succeeds, b fails, c crashes, d never starts (the run is stopped first). */
    private String firstRun(JdbcRunStore store) {
        RecordingLauncher launcher = new RecordingLauncher();
        Boss boss = started(builder(store, launcher), sets("a", "b", "c", "d"));
        await().until(() -> launcher.launchedNames().size() == 3);
        boss.send(Signal.STOP);
        launcher.succeed("a", Map.of("answer", 42));
        launcher.fail("b", "java.lang.IllegalStateException", "boom");
        launcher.crash("c", 139);
        Report report = boss.waitTillFinished();
        assertEquals(List.of("d"), report.pendingNames());
        return report.runId();
    }

    @Test
    void aResumedRunSkipsWhatSucceededCarriesItsReportAndRunsTheRestAndWhatIsNew() {
        JdbcRunStore store = store();
        String first = firstRun(store);
        WorkerReport a = store.report(first).worker("a").orElseThrow();

        RecordingLauncher launcher = new RecordingLauncher();
        Boss boss = started(builder(store, launcher).resumeLatest(ResumePolicy.standard()), sets("a", "b", "c", "d", "e"));
        await().until(() -> launcher.launchedNames().size() == 3);
        launcher.succeed("b", 2);
        launcher.succeed("c", 3);
        await().until(() -> launcher.launchedNames().size() == 4);
        launcher.succeed("d", 4);
        launcher.succeed("e", 5);
        Report report = boss.waitTillFinished();

        assertEquals(List.of("b", "c", "d", "e"), launcher.launchedNames().stream().sorted().toList(), "a succeeded: it is not run again");
        assertTrue(report.isSuccess(), report.counts().toString());
        WorkerReport carried = report.worker("a").orElseThrow();
        assertEquals(first, carried.carriedFrom());
        assertEquals(a.asCarriedFrom(first), carried, "its report as the first run wrote it");
        assertEquals(Map.of("answer", 42), carried.result());
        assertNull(report.worker("b").orElseThrow().carriedFrom());
        assertEquals(report, store.report(report.runId()), "the store holds the resumed run's report, carried reports included");
        assertEquals(first, store.runs().get(1).resumedFrom());
    }

    @Test
    void aResumeThatRecordedNoSetIsPassedOverToTheRunItResumed() {
        JdbcRunStore store = store();
        String first = firstRun(store);
        Boss refused = builder(store, new RecordingLauncher()).resumeLatest(ResumePolicy.standard()).build();
        toClose.add(refused);
        assertThrows(InstructionsException.class, () -> refused.addInstructions(List.of(Map.of("nobody", "reads"))));
        refused.close();
        String refusedRun = store.latestRunOf("batch.json").orElseThrow();
        assertEquals(first, resumedFrom(store, refusedRun), "a run resuming the first, whose batch was refused whole");

        RecordingLauncher launcher = new RecordingLauncher();
        Boss boss = started(builder(store, launcher).resumeLatest(ResumePolicy.standard()), sets("a", "b", "c", "d"));
        await().until(() -> launcher.launchedNames().size() == 3);
        launcher.succeed("b", 2);
        launcher.succeed("c", 3);
        launcher.succeed("d", 4);
        Report report = boss.waitTillFinished();

        assertEquals(List.of("b", "c", "d"), launcher.launchedNames().stream().sorted().toList(), "a succeeded in the first run");
        assertEquals(first, report.worker("a").orElseThrow().carriedFrom());
        assertEquals(first, resumedFrom(store, report.runId()), "it resumes the first run");
    }

    private static String resumedFrom(JdbcRunStore store, String runId) {
        return store.runs().stream().filter(run -> run.id().equals(runId)).findFirst().orElseThrow().resumedFrom();
    }

    /** A nested {@code Map.of} iterates in an order salted per JVM: a resumed run, in another JVM, may meet it reordered. */
    @Test
    @SuppressWarnings("unchecked")
    void aSetWhoseNestedObjectComesBackReorderedIsTheSameSet() {
        JdbcRunStore store = store();
        Map<String, Object> inOneOrder = new java.util.LinkedHashMap<>(TestWorkers.echoSet("a"));
        inOneOrder.put("meta", new java.util.LinkedHashMap<>(Map.of("x", 1)));
        ((Map<String, Object>) inOneOrder.get("meta")).put("y", List.of(2));
        RecordingLauncher first = new RecordingLauncher();
        Boss boss = started(builder(store, first), List.of(inOneOrder));
        await().until(() -> first.launchedNames().size() == 1);
        first.succeed("a", 1);
        String firstId = boss.waitTillFinished().runId();

        Map<String, Object> inTheOther = new java.util.LinkedHashMap<>(TestWorkers.echoSet("a"));
        inTheOther.put("meta", new java.util.LinkedHashMap<>(Map.of("y", List.of(2))));
        ((Map<String, Object>) inTheOther.get("meta")).put("x", 1);
        RecordingLauncher second = new RecordingLauncher();
        Boss resumed = started(builder(store, second).resumeLatest(ResumePolicy.standard()), List.of(inTheOther));
        await().until(() -> !second.launchedNames().isEmpty() || resumed.interimReport().pending().isEmpty()
                && resumed.interimReport().running().isEmpty());
        assertEquals(List.of(), second.launchedNames(), "a succeeded in the first run: it is not run again");
        Report report = resumed.waitTillFinished();
        assertEquals(firstId, report.worker("a").orElseThrow().carriedFrom());
    }

    @Test
    void theResumePolicySaysWhatRunsAgainAndASetWithNothingToCarryIsReportedNotRun() {
        JdbcRunStore store = store();
        String first = firstRun(store);

        RecordingLauncher launcher = new RecordingLauncher();
        ResumePolicy policy = ResumePolicy.parse("crashed=skip,never_started=skip");
        assertEquals(ResumeAction.SKIP, policy.actionFor(PriorOutcome.CRASHED));
        Boss boss = started(builder(store, launcher).resume(first.substring(0, 17), policy), sets("a", "b", "c", "d", "e"));
        await().until(() -> launcher.launchedNames().size() == 2);
        launcher.succeed("b", 2);
        launcher.succeed("e", 5);
        Report report = boss.waitTillFinished();

        assertEquals(List.of("b", "e"), launcher.launchedNames().stream().sorted().toList());
        assertEquals(WorkerStatus.CRASHED, report.worker("c").orElseThrow().status(), "carried over as it ended");
        assertEquals(List.of("d"), report.pendingNames());
        assertTrue(report.pending().get(0).reason().startsWith("not run: never started in run " + first), report.pending().get(0).reason());
        assertEquals(report.pending(), store.report(report.runId()).pending(), "the store keeps why it was not run");
        assertEquals(ResumePolicy.failedOnly().actionFor(PriorOutcome.NEVER_STARTED), ResumeAction.SKIP);
    }

    @Test
    void aRunThatCannotBeResumedIsRefusedBeforeAnythingStarts() {
        JdbcRunStore store = store();
        RecordingLauncher launcher = new RecordingLauncher();
        RunStoreException none = assertThrows(RunStoreException.class,
                () -> builder(store, launcher).resumeLatest(ResumePolicy.standard()).build());
        assertTrue(none.getMessage().contains("no earlier run of batch.json"), none.getMessage());
        assertThrows(RunStoreException.class, () -> builder(store, new RecordingLauncher()).resume("nosuchrun", ResumePolicy.standard()).build());

        Boss running = started(builder(store, new RecordingLauncher()), sets("x"));
        RunStoreException stillRuns = assertThrows(RunStoreException.class,
                () -> builder(store, new RecordingLauncher()).resume(running.interimReport().runId(), ResumePolicy.standard()).build());
        assertTrue(stillRuns.getMessage().contains("still runs"), stillRuns.getMessage());
        IllegalArgumentException badPolicy = assertThrows(IllegalArgumentException.class, () -> ResumePolicy.parse("failed=maybe"));
        assertTrue(badPolicy.getMessage().contains("failed=maybe"), badPolicy.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ResumePolicy.parse("broken=skip"));
    }
}
