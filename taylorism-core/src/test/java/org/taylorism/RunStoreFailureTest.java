package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taylorism.testing.Awaits.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.spi.JournalEntry;
import org.taylorism.spi.PriorRun;
import org.taylorism.spi.RunJournal;
import org.taylorism.spi.RunStart;
import org.taylorism.spi.RunStore;
import org.taylorism.testing.Leaks;
import org.taylorism.testing.RecordingLauncher;
import org.taylorism.testing.TestWorkers;

/** What a Boss does with its run store: what it records, and when the store fails it, stopping cleanly. */
class RunStoreFailureTest {

    @TempDir
    Path runs;

    private final RecordingLauncher launcher = new RecordingLauncher();
    private Boss boss;

    /** A store that keeps what it is given in memory, and fails once told to. */
    private static final class MemoryStore implements RunStore {
        final List<JournalEntry> recorded = new CopyOnWriteArrayList<>();
        final List<Report> finished = new CopyOnWriteArrayList<>();
        volatile boolean failNextWrite;
        volatile boolean failTheEnd;
        Consumer<RunStoreException> tellFailure;

        @Override
        public String location() {
            return "memory";
        }

        @Override
        public Path runsDirectory() {
            return Path.of("/nonexistent");
        }

        @Override
        public RunJournal begin(RunStart run, Consumer<RunStoreException> writesFailed) {
            tellFailure = writesFailed;
            return new RunJournal() {
                @Override
                public String runId() {
                    return "run-1";
                }

                @Override
                public Path runDirectory() {
                    return run.workDirectory().resolve("run-1");
                }

                @Override
                public void record(List<JournalEntry> entries) {
                    if (failNextWrite) {
                        failNextWrite = false;
                        writesFailed.accept(new RunStoreException("could not write the run store memory: disk full"));
                        return;
                    }
                    recorded.addAll(entries);
                }

                @Override
                public void finish(Report report) {
                    if (failTheEnd) {
                        // As the store's own journal does: told on its writer's thread, and waited for by the Boss.
                        writesFailed.accept(new RunStoreException("could not write the run store memory: disk full at the end"));
                        return;
                    }
                    finished.add(report);
                }
            };
        }

        @Override
        public PriorRun prior(String runId) {
            throw new RunStoreException("no run '" + runId + "' in the run store memory");
        }

        @Override
        public Optional<String> latestRunOf(String source) {
            return Optional.empty();
        }
    }

    @AfterEach
    void closeIt() {
        if (boss != null) {
            boss.close();
        }
        Leaks.assertNoBossThreads();
    }

    @Test
    void aStoreThatFailsToWriteTheRunsEndFailsTheRunWithItsErrorAndEveryResultKept() {
        MemoryStore store = aAndBRunningOnAStoreThatFailsTheEnd(HaltPolicy.KEEP_GOING);
        launcher.succeed("a", "kept");
        launcher.succeed("b", "kept too");

        RunFailedException failed = assertThrows(RunFailedException.class, boss::waitTillFinished,
                "the run ended with every worker done, but its store does not have it: the caller is told");
        Report report = failed.report();
        assertEquals(RunStatus.FAILED, report.status());
        assertTrue(report.error().is(RunStoreException.class), report.error().toString());
        assertEquals("could not write the run store memory: disk full at the end", report.error().message());
        assertEquals("kept", report.worker("a").orElseThrow().result());
        assertEquals("kept too", report.worker("b").orElseThrow().result());
        assertEquals(List.of(), store.finished);
    }

    @Test
    void aStoreThatFailsAfterTheRunWasAbortedForAnotherReasonStillFailsItAndTheReasonIsKept() {
        aAndBRunningOnAStoreThatFailsTheEnd(HaltPolicy.FAIL_FAST);
        launcher.fail("a", "java.lang.IllegalStateException", "a broke");
        await().until(() -> launcher.stoppedNames().contains("b"));
        launcher.succeed("b", "stopped late");

        Report report = assertThrows(RunFailedException.class, boss::waitTillFinished).report();
        assertEquals(RunStatus.FAILED, report.status());
        assertTrue(report.error().is(RunStoreException.class), report.error().toString());
        assertTrue(report.error().message().startsWith("could not write the run store memory: disk full at the end (the run had been"
                + " aborted before: "), report.error().message());
        assertTrue(report.error().message().contains("a broke"), report.error().message());
        assertEquals("a", report.failedWorker());
    }

    @Test
    void reportsEndedOnceTheStoreFailedAreNotLetGoOfTheStoreMayNotHaveThem() {
        MemoryStore store = new MemoryStore();
        boss = Boss.builder().store(store).runDirectory(runs).launcher(launcher).scheduler(Scheduler.maxThreads(2))
                .haltPolicy(HaltPolicy.KEEP_GOING).retainEnded(1, null)
                .registry(WorkerRegistry.builder().register(TestWorkers.Echo.class).build()).build();
        boss.addInstructions(List.of(TestWorkers.echoSet("a"), TestWorkers.echoSet("b"), TestWorkers.echoSet("c")));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 2);
        store.failNextWrite = true;
        launcher.succeed("a", "first");
        await().until(() -> boss.interimReport().error() != null);
        launcher.succeed("b", "second");
        launcher.succeed("c", "third"); // started in the round in which a ended, before the failure was heard

        Report report = assertThrows(RunFailedException.class, boss::waitTillFinished).report();
        assertEquals(List.of("a", "b", "c"), report.workers().stream().map(WorkerReport::name).toList(),
                "all kept past the bound of one: the store failed with a's round");
        assertEquals(null, report.notHeld());
    }

    /** A Boss of a store that will fail to write the run's end, running sets a and b. */
    private MemoryStore aAndBRunningOnAStoreThatFailsTheEnd(HaltPolicy halt) {
        MemoryStore store = new MemoryStore();
        boss = Boss.builder().store(store).runDirectory(runs).launcher(launcher).scheduler(Scheduler.maxThreads(2))
                .haltPolicy(halt).registry(WorkerRegistry.builder().register(TestWorkers.Echo.class).build()).build();
        boss.addInstructions(List.of(TestWorkers.echoSet("a"), TestWorkers.echoSet("b")));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 2);
        store.failTheEnd = true;
        return store;
    }

    @Test
    void aStoreThatFailsStopsLaunchingLetsRunningWorkersFinishAndEndsTheRunFailedWithItsError() {
        MemoryStore store = new MemoryStore();
        boss = Boss.builder().store(store).runDirectory(runs).launcher(launcher).scheduler(Scheduler.maxThreads(2))
                .haltPolicy(HaltPolicy.KEEP_GOING).registry(WorkerRegistry.builder().register(TestWorkers.Echo.class).build()).build();
        boss.addInstructions(List.of(TestWorkers.echoSet("a"), TestWorkers.echoSet("b"), TestWorkers.echoSet("c"), TestWorkers.echoSet("d")));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 2);
        assertEquals(runs.resolve("run-1").toString(), launcher.spec("a").stdout().getParent().toString(), "the run's own directory");
        await().until(() -> store.recorded.stream().filter(entry -> entry instanceof JournalEntry.AttemptStarted).count() == 2);
        assertEquals(4, store.recorded.stream().filter(entry -> entry instanceof JournalEntry.SetAccepted).count());

        // The write of the round in which a ends, and c starts, fails: the Boss hears it once that round is over.
        store.failNextWrite = true;
        launcher.succeed("a", "kept");
        await().until(() -> boss.interimReport().error() != null);
        launcher.succeed("b", "kept too");
        await().during(Duration.ofMillis(100)).until(() -> launcher.launchedNames().equals(List.of("a", "b", "c")));
        assertTrue(launcher.stoppedNames().isEmpty(), "running workers finish");
        launcher.succeed("c", "and this one");

        RunFailedException failed = assertThrows(RunFailedException.class, boss::waitTillFinished);
        Report report = failed.report();
        assertEquals(RunStatus.FAILED, report.status());
        assertTrue(report.error().is(RunStoreException.class), report.error().toString());
        assertTrue(report.error().message().contains("disk full"), report.error().message());
        assertEquals("kept", report.worker("a").orElseThrow().result());
        assertEquals("kept too", report.worker("b").orElseThrow().result());
        assertEquals("and this one", report.worker("c").orElseThrow().result());
        assertEquals(List.of("d"), report.pendingNames());
        assertTrue(report.pending().get(0).reason().contains("never started"), report.pending().get(0).reason());
        assertEquals("run-1", report.runId());
    }
}
