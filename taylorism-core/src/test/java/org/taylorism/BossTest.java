package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taylorism.testing.Awaits.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.internal.child.WorkerMain;
import org.taylorism.testing.Leaks;
import org.taylorism.testing.RecordingLauncher;
import org.taylorism.testing.TestWorkers;

/** The Boss's logic, driven through a recording launcher: no processes, no sleeps. */
class BossTest {
    /** The Bosses' run directories: a test leaves nothing in the system's temporary directory. */
    @TempDir
    Path runs;

    private final RecordingLauncher launcher = new RecordingLauncher();
    private final List<Boss> bosses = new ArrayList<>();

    /** A run directory of its own for the next Boss: two Bosses number their workers' files alike. */
    private Path nextRunDirectory() {
        return runs.resolve("boss-" + bosses.size());
    }

    private Boss boss(Scheduler scheduler, FailurePolicy policy, BossListener... listeners) {
        Boss.Builder builder = Boss.builder().runDirectory(nextRunDirectory())
                .scheduler(scheduler)
                .launcher(launcher)
                .failurePolicy(policy)
                .registry(WorkerRegistry.builder().register(TestWorkers.Echo.class).build());
        for (BossListener listener : listeners) {
            builder.listener(listener);
        }
        Boss boss = builder.build();
        bosses.add(boss);
        return boss;
    }

    private Boss boss(int maxThreads) {
        return boss(Scheduler.maxThreads(maxThreads), FailurePolicy.FAIL_FAST);
    }

    private static Map<String, List<String>> names(String... names) {
        return Map.of("name", List.of(names));
    }

    private static final Map<String, Object> ECHO = Map.of("message", "hi");

    @AfterEach
    void closeAndCheckLeaks() {
        bosses.forEach(Boss::close);
        Leaks.assertNoBossThreads();
    }

    @Test
    void createdHaltedNothingLaunchesBeforeMakeThemWork() {
        Boss boss = boss(2);
        boss.setInstructions(ECHO, names("a", "b"));
        await().during(Duration.ofMillis(200)).until(() -> launcher.launchedNames().isEmpty());
        assertEquals(List.of("a", "b"), boss.getReport(true).pending().stream().map(PendingTask::name).toList());
        assertEquals("halted", boss.getReport(true).pending().get(0).reason());

        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 2);
    }

    @Test
    void maxWorkersEnforcedAndFinishedWorkerFreesSlotForNextInstruction() {
        Boss boss = boss(2);
        boss.setInstructions(ECHO, names("a", "b", "c"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 2);
        launcher.assertLaunched("a", "b");
        assertEquals(0, launcher.spec("a").ticket());
        assertEquals(1, launcher.spec("b").ticket());
        Report interim = boss.getReport(true);
        assertEquals(List.of("a", "b"), interim.runningNames());
        assertEquals("2/2 threads busy", interim.pending().get(0).reason());

        launcher.succeed("a", "done");
        await().until(() -> launcher.launchedNames().size() == 3);
        assertEquals(0, launcher.spec("c").ticket(), "the lowest free ticket is reused");
    }

    @Test
    void haltStopsLaunchingAndResumeStartsAgain() {
        Boss boss = boss(1);
        boss.setInstructions(ECHO, names("a", "b"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 1);
        boss.send(Signal.HALT);
        launcher.succeed("a", 1);
        await().until(() -> boss.getReport(true).workers().size() == 1);
        await().during(Duration.ofMillis(150)).until(() -> launcher.launchedNames().size() == 1);

        boss.send(Signal.RESUME);
        await().until(() -> launcher.launchedNames().size() == 2);
    }

    @Test
    void sendReportPublishesAnInterimReport() {
        List<Report> published = new CopyOnWriteArrayList<>();
        Boss boss = boss(Scheduler.maxThreads(1), FailurePolicy.FAIL_FAST, new BossListener() {
            @Override
            public void reportPublished(Report report) {
                published.add(report);
            }
        });
        assertNull(boss.getReport(false), "nothing published yet");
        boss.setInstructions(ECHO, names("a", "b"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 1);
        launcher.succeed("a", "first");
        boss.send(Signal.SEND_REPORT);
        await().until(() -> boss.getReport(false) != null && !boss.getReport(false).workers().isEmpty());
        Report interim = boss.getReport(false);
        assertEquals(RunStatus.INTERIM, interim.status());
        assertEquals("first", interim.workers().get(0).result());
        // The report is readable before the listeners hear of it: they are told right after, on the Boss thread.
        await().until(() -> !published.isEmpty());
        assertEquals(1, published.size());
    }

    @Test
    void endFinishesEverythingPendingThenStopsAndTheReportCanBeReadManyTimes() throws Exception {
        Boss boss = boss(1);
        boss.setInstructions(ECHO, names("a", "b"));
        boss.makeThemWork();
        boss.end();
        await().until(() -> launcher.runningNames().equals(List.of("a")));
        launcher.succeed("a", 1);
        await().until(() -> launcher.runningNames().equals(List.of("b")));
        launcher.succeed("b", 2);

        Report report = boss.waitTillFinished();
        assertEquals(RunStatus.FINISHED, report.status());
        assertEquals(List.of("a", "b"), report.workers().stream().map(WorkerReport::name).toList());
        assertTrue(report.isSuccess());
        assertSame(report, boss.waitTillFinished());
        assertSame(report, boss.getReport(false));
        assertSame(report, boss.getReport(true));
        assertSame(report, CompletableFuture.supplyAsync(boss::waitTillFinished).get());
        assertEquals(Boss.State.TERMINATED, boss.state());
    }

    @Test
    void instructionsAfterEndAreRefusedWithAnError() {
        Boss boss = boss(1);
        boss.makeThemWork();
        boss.end();
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> boss.setInstructions(ECHO, names("late")));
        assertTrue(refused.getMessage().contains("END was sent"), refused.getMessage());
        boss.waitTillFinished();
        IllegalStateException dead = assertThrows(IllegalStateException.class, () -> boss.setInstructions(ECHO, names("later")));
        assertTrue(dead.getMessage().contains("no longer accepts instructions"), dead.getMessage());
    }

    @Test
    void stopLetsRunningWorkersFinishAndListsWhatNeverStarted() {
        Boss boss = boss(1);
        boss.setInstructions(ECHO, names("a", "b", "c"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 1);
        boss.send(Signal.STOP);
        await().during(Duration.ofMillis(100)).until(() -> boss.state() == Boss.State.STOPPING);
        assertTrue(launcher.stoppedNames().isEmpty(), "STOP does not kill");
        launcher.succeed("a", "finished anyway");

        Report report = boss.waitTillFinished();
        assertEquals(RunStatus.PENDING, report.status());
        assertEquals("finished anyway", report.worker("a").orElseThrow().result());
        assertEquals(List.of("b", "c"), report.pending().stream().map(PendingTask::name).toList());
        assertTrue(report.pending().get(0).reason().contains("STOP"));
    }

    @Test
    void stopListeningHandsOutTheReportAtOnceAndCloseKillsTheUnwatchedWorkers() {
        Boss boss = boss(2);
        boss.setInstructions(ECHO, names("a", "b"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 2);
        launcher.succeed("a", 1);
        await().until(() -> boss.getReport(true).workers().size() == 1);
        boss.send(Signal.STOP_LISTENING);

        Report report = boss.waitTillFinished();
        assertEquals(RunStatus.FINISHED, report.status());
        assertEquals(List.of("b"), report.runningNames());
        assertTrue(launcher.stoppedNames().isEmpty(), "STOP_LISTENING lets workers run");

        boss.close();
        assertEquals(List.of("b"), launcher.stoppedNames());
    }

    @Test
    void stopRightNowKillsRunningWorkers() {
        List<String> stopped = new CopyOnWriteArrayList<>();
        Boss boss = boss(Scheduler.maxThreads(2), FailurePolicy.FAIL_FAST, new BossListener() {
            @Override
            public void stopped(WorkerReport report) {
                stopped.add(report.name());
            }
        });
        boss.setInstructions(ECHO, names("a", "b", "c"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 2);
        boss.stopThemWorking();

        Report report = boss.waitTillFinished();
        assertEquals(List.of("a", "b"), launcher.stoppedNames());
        assertEquals(List.of("a", "b"), stopped);
        assertEquals(WorkerStatus.KILLED, report.worker("a").orElseThrow().status());
        assertEquals("TERM", report.worker("a").orElseThrow().signal());
        assertEquals(RunStatus.PENDING, report.status());
        assertEquals(List.of("c"), report.pending().stream().map(PendingTask::name).toList());
    }

    @Test
    void failFastStopsEverythingKeepsFinishedEntriesAndTheCallerSeesTheFailureType() {
        Boss boss = boss(2);
        boss.setInstructions(ECHO, names("ok", "bad", "never"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 2);
        launcher.succeed("ok", "fine");
        await().until(() -> launcher.launchedNames().size() == 3);
        launcher.fail("bad", "java.lang.IllegalStateException", "boom");

        WorkerFailedException failure = assertThrows(WorkerFailedException.class, boss::waitTillFinished);
        assertTrue(failure.getMessage().contains("java.lang.IllegalStateException: boom"), failure.getMessage());
        assertEquals("bad", failure.failure().name());
        Report report = failure.report();
        assertEquals(RunStatus.FAILED, report.status());
        assertEquals("bad", report.failedWorker());
        assertEquals("fine", report.worker("ok").orElseThrow().result());
        assertEquals(WorkerStatus.KILLED, report.worker("never").orElseThrow().status());
        assertEquals(List.of("never"), launcher.stoppedNames());
        assertThrows(WorkerFailedException.class, boss::waitTillFinished, "every later call sees the same outcome");
    }

    @Test
    void keepGoingRunsEverythingAndReportsEachOutcome() {
        Boss boss = boss(Scheduler.maxThreads(3), FailurePolicy.KEEP_GOING);
        boss.setInstructions(ECHO, names("ok", "bad", "dead"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 3);
        launcher.fail("bad", "java.io.IOException", "disk");
        launcher.crash("dead", 3);
        launcher.succeed("ok", 42);

        Report report = boss.waitTillFinished();
        assertEquals(RunStatus.FINISHED, report.status());
        assertEquals(List.of("bad", "dead", "ok"), report.workers().stream().map(WorkerReport::name).toList());
        assertEquals(WorkerStatus.FAILED, report.worker("bad").orElseThrow().status());
        WorkerReport dead = report.worker("dead").orElseThrow();
        assertEquals(WorkerStatus.CRASHED, dead.status());
        assertEquals(3, dead.exitCode());
        assertTrue(dead.error().message().contains("exited with code 3") && dead.error().message().contains("last words"),
                dead.error().message());
        assertEquals(2, report.failures().size());
        assertEquals(1, report.counts().get("crashed"));
    }

    @Test
    void serverModeRunsInstructionsAddedWhileRunning() {
        Boss boss = boss(1);
        boss.setInstructions(ECHO, names("first"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 1);
        boss.setInstructions(ECHO, names("second"));
        launcher.succeed("first", 1);
        await().until(() -> launcher.launchedNames().size() == 2);
        boss.setInstructions(ECHO, names("third"));
        launcher.succeed("second", 2);
        await().until(() -> launcher.launchedNames().size() == 3);
        launcher.succeed("third", 3);

        Report report = boss.waitTillFinished();
        assertEquals(3, report.workers().size());
    }

    @Test
    void aSchedulerThatThrowsFailsTheRunCleanlyWithItsName() {
        Scheduler broken = new Scheduler() {
            @Override
            public void schedule(Round round) {
                for (Task task : round.pending()) {
                    if (task.name().equals("c")) {
                        throw new IllegalArgumentException("cannot count");
                    }
                }
                if (round.running().isEmpty()) {
                    round.launch(round.pending().iterator().next());
                }
            }

            @Override
            public String name() {
                return "broken";
            }
        };
        Boss boss = boss(broken, FailurePolicy.FAIL_FAST);
        boss.setInstructions(ECHO, names("a", "b"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 1);
        launcher.succeed("a", "kept");
        await().until(() -> launcher.launchedNames().size() == 2);
        boss.setInstructions(ECHO, names("c"));

        RunFailedException failure = assertThrows(RunFailedException.class, boss::waitTillFinished);
        assertTrue(failure.getMessage().contains("scheduler broken failed: cannot count"), failure.getMessage());
        assertEquals("kept", failure.report().worker("a").orElseThrow().result());
        assertEquals(WorkerStatus.KILLED, failure.report().worker("b").orElseThrow().status());
        assertEquals(List.of("c"), failure.report().pending().stream().map(PendingTask::name).toList());
        assertTrue(boss.state() == Boss.State.TERMINATED);
    }

    @Test
    void aListenerThatThrowsCannotBreakTheBoss() {
        Boss boss = boss(Scheduler.maxThreads(1), FailurePolicy.FAIL_FAST, new BossListener() {
            @Override
            public void started(RunningWorker worker) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void succeeded(WorkerReport report) {
                throw new OutOfMemoryError("not really");
            }
        });
        boss.setInstructions(ECHO, names("a"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 1);
        launcher.succeed("a", 1);
        assertThrows(RunFailedException.class, boss::waitTillFinished, "an Error is not swallowed: the run fails, with a report");
    }

    @Test
    void waitTillFinishedWithoutMakeThemWorkFailsInsteadOfHanging() {
        Boss boss = boss(1);
        boss.setInstructions(ECHO, names("a"));
        IllegalStateException error = assertThrows(IllegalStateException.class, boss::waitTillFinished);
        assertTrue(error.getMessage().contains("makeThemWork()"), error.getMessage());
    }

    @Test
    void waitTillFinishedOnAHaltedBossFailsInsteadOfHanging() {
        Boss boss = boss(1);
        boss.setInstructions(ECHO, names("a"));
        boss.makeThemWork();
        boss.send(Signal.HALT);
        IllegalStateException error = assertThrows(IllegalStateException.class, boss::waitTillFinished);
        assertTrue(error.getMessage().contains("HALT was sent"), error.getMessage());
        boss.send(Signal.STOP);
        // An interim report is made after every message sent before it: "a" was launched by then, or never will be.
        boss.interimReport();
        assertTrue(launcher.launchedNames().size() <= 1);
        launcher.runningNames().forEach(name -> launcher.succeed(name, 1));
        assertTrue(boss.waitTillFinished() != null, "after STOP it ends, halted or not");
    }

    @Test
    void cancelAndPauseAfterTheEndAnswerAtOnce() {
        Boss boss = boss(1);
        boss.makeThemWork();
        boss.waitTillFinished();
        assertTrue(!boss.cancel("x") && !boss.pauseWorker("x") && !boss.continueWorker("x"));
    }

    @Test
    void badBuiltInValuesAreRefusedNamingTheSetKeyAndValue() {
        Boss boss = boss(1);
        InstructionsException error = assertThrows(InstructionsException.class, () -> boss.addInstructions(List.of(
                Map.of("message", "m", "timeout", -1), Map.of("message", "m", "resources", Map.of("licence", -2)),
                Map.of("message", "m", "memory", 0), Map.of("message", "m", "stall_timeout", 1e12))));
        String message = error.getMessage();
        assertTrue(message.contains("instruction set #1: timeout: -1.0 must be above 0"), message);
        assertTrue(message.contains("instruction set #2: resources: licence=-2 must be 0 or more"), message);
        assertTrue(message.contains("instruction set #3: memory: 0 must be above 0 MiB"), message);
        assertTrue(message.contains("instruction set #4: stall_timeout: 1.0E12 must be above 0 and at most"), message);
    }

    @Test
    void aKeyThatIsNotTextIsRefusedNamingTheSet() {
        Boss boss = boss(1);
        Map<String, Object> nullKey = new HashMap<>(Map.of("message", "m"));
        nullKey.put(null, 1);
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, Object> numberKey = (Map) Map.of("message", "m", 7, "seven");
        InstructionsException error = assertThrows(InstructionsException.class,
                () -> boss.addInstructions(List.of(Map.of("message", "fine"), nullKey, numberKey)));
        String message = error.getMessage();
        assertTrue(message.contains("instruction set #2: its key null is not text"), message);
        assertTrue(message.contains("instruction set #3: its key 7 (a java.lang.Integer) is not text"), message);
        assertFalse(message.contains("instruction set #1"), message);
    }

    @Test
    void aBatchThatRepeatsANameIsRefusedAtSubmissionWhateverTheTiming() {
        Boss boss = boss(1);
        InstructionsException refused = assertThrows(InstructionsException.class, () -> boss.setInstructions(ECHO, names("twin", "b", "twin")));
        assertTrue(refused.getMessage().contains("instruction set #3: its name 'twin' is the name of instruction set #1 too"),
                refused.getMessage());
        assertTrue(launcher.launchedNames().isEmpty(), "nothing of the batch was queued");
    }

    @Test
    void twoRunningWorkersOfTwoBatchesWithTheSameNameIsAnErrorAndFailFastReturnsAtOnce() {
        Boss boss = boss(2);
        boss.setInstructions(ECHO, names("twin"));
        boss.setInstructions(ECHO, names("twin"));
        boss.makeThemWork();

        WorkerFailedException failure = assertThrows(WorkerFailedException.class, boss::waitTillFinished);
        assertTrue(failure.getMessage().contains("'twin' is already used by a running worker"), failure.getMessage());
        assertEquals(List.of("twin"), launcher.stoppedNames(), "the first twin is stopped by fail-fast");
    }

    @Test
    void namesExpandedFromAnAttributeDoNotClash() {
        Boss boss = boss(2);
        boss.setInstructions(Map.of("message", "hi", "name", "job_[x]"), Map.of("x", List.of(1, 2)));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 2);
        launcher.assertLaunched("job_1", "job_2");
    }

    @Test
    void generatedNamesAreUnique() {
        Boss boss = boss(3);
        boss.setInstructions(ECHO, Map.of("numbers", List.of(List.of(1), List.of(2), List.of(3))));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 3);
        assertEquals(3, launcher.launchedNames().stream().distinct().count());
        assertTrue(launcher.launchedNames().get(0).startsWith("echo-"), launcher.launchedNames().toString());
    }

    @Test
    void aLaunchThatFailsIsAFailedEntryNamingTheLauncher() {
        Boss boss = boss(Scheduler.maxThreads(2), FailurePolicy.KEEP_GOING);
        launcher.refuse("b");
        boss.setInstructions(ECHO, names("a", "b"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 1);
        launcher.succeed("a", 1);

        Report report = boss.waitTillFinished();
        WorkerReport b = report.worker("b").orElseThrow();
        assertEquals(WorkerStatus.FAILED, b.status());
        assertTrue(b.error().message().contains("with launcher recording: refused by the test"), b.error().message());
    }

    @Test
    void aTaskThatCanNeverRunIsRejectedInsteadOfWaitingForever() {
        Scheduler picky = round -> round.pending().forEach(task -> round.reject(task, "needs 9999 MiB, at most 4096 declared"));
        Boss boss = boss(picky, FailurePolicy.KEEP_GOING);
        boss.setInstructions(ECHO, names("huge"));
        boss.makeThemWork();

        Report report = boss.waitTillFinished();
        WorkerReport huge = report.worker("huge").orElseThrow();
        assertEquals(WorkerStatus.FAILED, huge.status());
        assertTrue(huge.error().message().contains("needs 9999 MiB"), huge.error().message());
    }

    @Test
    void badInstructionsAreRefusedWholeAndNothingAlreadyQueuedIsLost() {
        Boss boss = boss(1);
        boss.setInstructions(ECHO, names("kept"));
        InstructionsException error = assertThrows(InstructionsException.class,
                () -> boss.setInstructions(Map.of(), Map.of("message", List.of("ok", "fine"), "numbers", List.of(List.of(1), "x"))));
        assertTrue(error.getMessage().contains("instruction set #2"), error.getMessage());
        assertTrue(error.getMessage().contains("numbers: 'x' is text, not a list: write it as a JSON array, such as [\"x\"]"),
                error.getMessage());
        assertEquals(List.of("kept"), boss.getReport(true).pending().stream().map(PendingTask::name).toList());
    }

    @Test
    void instructionsSetsAreMatchedToTheirWorkerAndLaunchedWithTheirValues() {
        Boss boss = boss(1);
        boss.setInstructions(Map.of("message", "hello"), names("a"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 1);
        assertEquals(TestWorkers.Echo.class.getName(), launcher.spec("a").workerClass());
        assertTrue(launcher.spec("a").command().contains(WorkerMain.class.getName()));
    }

    @Test
    void verboseModeStillEndsNormally() {
        Boss boss = Boss.builder().runDirectory(nextRunDirectory()).launcher(launcher).verbose(true).maxLenReport(5)
                .registry(WorkerRegistry.builder().register(TestWorkers.Echo.class).build()).build();
        bosses.add(boss);
        boss.setInstructions(ECHO, names("a"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 1);
        launcher.succeed("a", "a rather long result");
        assertNotNull(boss.waitTillFinished());
    }

    @Test
    void aWorkerThatStopsWaitingForItsSubTasksTakesItsSlotBack() {
        Boss boss = boss(Scheduler.maxThreads(1), FailurePolicy.KEEP_GOING);
        Task parent = boss.addInstructions(List.of(TestWorkers.echoSet("parent"))).get(0);
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().contains("parent"));
        List<Task> subTasks = boss.addSubTasks(parent, List.of(TestWorkers.echoSet("a"), TestWorkers.echoSet("b")));
        CompletableFuture<Void> loan = boss.lendSlot(parent, subTasks);
        String first = subTasks.get(0).name();
        String second = subTasks.get(1).name();
        await().until(() -> launcher.launchedNames().contains(first));

        loan.cancel(false);
        launcher.succeed(first, "done");
        await().until(() -> boss.interimReport().counts().get("succeeded") == 1);
        assertTrue(!launcher.launchedNames().contains(second), "the parent works in its own slot again: " + launcher.launchedNames());

        launcher.succeed("parent", "done");
        await().until(() -> launcher.launchedNames().contains(second));
        launcher.succeed(second, "done");
        assertEquals(3, boss.waitTillFinished().counts().get("succeeded"));
    }
}
