package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taylorism.testing.Awaits.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.testing.Leaks;
import org.taylorism.testing.RecordingLauncher;
import org.taylorism.testing.TestWorkers;

/** Halt thresholds, retries, cancel, pause and timeouts, with a recording launcher. */
class FailurePoliciesTest {
    /** The Bosses' run directories: a test leaves nothing in the system's temporary directory. */
    @TempDir
    Path runs;

    private final RecordingLauncher launcher = new RecordingLauncher();
    private final List<Boss> bosses = new ArrayList<>();

    private Boss boss(Scheduler scheduler, HaltPolicy halt, RetryPolicy retry) {
        Boss boss = Boss.builder().runDirectory(runs.resolve("boss-" + bosses.size()))
                .scheduler(scheduler).launcher(launcher).haltPolicy(halt).retryPolicy(retry)
                .registry(WorkerRegistry.builder().register(TestWorkers.Echo.class).build()).build();
        bosses.add(boss);
        return boss;
    }

    private static List<Map<String, Object>> sets(String... names) {
        List<Map<String, Object>> sets = new ArrayList<>();
        for (String name : names) {
            sets.add(Map.of("message", "m", "name", name));
        }
        return sets;
    }

    @AfterEach
    void closeAll() {
        bosses.forEach(Boss::close);
        Leaks.assertNoBossThreads();
    }

    @Test
    void haltSoonAfterTwoFailuresLetsRunningWorkersFinish() {
        Boss boss = boss(Scheduler.maxThreads(2), HaltPolicy.parse("soon,fail=2"), RetryPolicy.NONE);
        boss.addInstructions(sets("a", "b", "c", "d", "e"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 2);
        launcher.fail("a", "java.lang.IllegalStateException", "one");
        await().until(() -> launcher.launchedNames().size() == 3);
        launcher.crash("b", 3);
        await().during(Duration.ofMillis(100)).until(() -> launcher.launchedNames().size() == 3);
        assertTrue(launcher.stoppedNames().isEmpty(), "soon does not kill");
        launcher.succeed("c", "finished");

        WorkerFailedException failure = assertThrows(WorkerFailedException.class, boss::waitTillFinished);
        Report report = failure.report();
        assertEquals(RunStatus.FAILED, report.status());
        assertEquals("b", report.failedWorker());
        assertEquals("finished", report.worker("c").orElseThrow().result());
        assertEquals(List.of("d", "e"), report.pending().stream().map(PendingTask::name).toList());
    }

    @Test
    void haltNowAtAPercentageKillsRunningWorkers() {
        Boss boss = boss(Scheduler.maxThreads(3), HaltPolicy.parse("now,fail=50%"), RetryPolicy.NONE);
        boss.addInstructions(sets("a", "b", "c", "d"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 3);
        launcher.fail("a", "E", "x");
        await().until(() -> launcher.launchedNames().size() == 4);
        await().during(Duration.ofMillis(50)).until(() -> launcher.stoppedNames().isEmpty());
        launcher.fail("b", "E", "y");

        Report report = assertThrows(WorkerFailedException.class, boss::waitTillFinished).report();
        assertEquals(List.of("c", "d"), launcher.stoppedNames());
        assertEquals(WorkerStatus.KILLED, report.worker("c").orElseThrow().status());
        assertEquals("stopped", report.worker("c").orElseThrow().cause());
    }

    @Test
    void haltPoliciesParseAndNameBadText() {
        assertEquals(HaltPolicy.FAIL_FAST, HaltPolicy.parse("now,fail=1"));
        assertEquals(HaltPolicy.KEEP_GOING, HaltPolicy.parse("never"));
        assertEquals(new HaltPolicy(HaltPolicy.When.SOON, 0, 10), HaltPolicy.parse("soon,fail=10%"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> HaltPolicy.parse("later,fail=x"));
        assertTrue(bad.getMessage().contains("'later,fail=x' is not a halt policy"), bad.getMessage());
    }

    @Test
    void aRetriedWorkerKeepsEveryAttemptInItsReport() {
        Boss boss = boss(Scheduler.maxThreads(1), HaltPolicy.FAIL_FAST, RetryPolicy.attempts(3).withBackoff(Duration.ZERO, 1));
        boss.addInstructions(sets("flaky"));
        boss.makeThemWork();
        await().until(() -> launcher.launchCount("flaky") == 1);
        launcher.fail("flaky", "java.io.IOException", "network");
        await().until(() -> launcher.launchCount("flaky") == 2);
        launcher.crash("flaky", 9);
        await().until(() -> launcher.launchCount("flaky") == 3);
        launcher.succeed("flaky", "at last");

        Report report = boss.waitTillFinished();
        WorkerReport flaky = report.worker("flaky").orElseThrow();
        assertEquals(WorkerStatus.SUCCEEDED, flaky.status());
        assertEquals(3, flaky.attempt());
        assertEquals(List.of(WorkerStatus.FAILED, WorkerStatus.CRASHED), flaky.attempts().stream().map(AttemptReport::status).toList());
        assertEquals(List.of("exception", "no_result"), flaky.attempts().stream().map(AttemptReport::cause).toList());
        assertEquals(1, report.workers().size(), "one entry per worker, whatever its attempts");
        assertTrue(launcher.spec("flaky").stdout().toString().endsWith("flaky.3.stdout"), launcher.spec("flaky").stdout().toString());
    }

    @Test
    void onlyTheListedOutcomesAreRetried() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ZERO, 1, Set.of(), Set.of(75), Set.of("IOException"), 1.5, 2);
        Boss boss = boss(Scheduler.maxThreads(3), HaltPolicy.KEEP_GOING, policy);
        boss.addInstructions(sets("temp-failure", "io", "bug"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 3);
        launcher.crash("temp-failure", 75);
        launcher.fail("io", "java.io.IOException", "disk");
        launcher.fail("bug", "java.lang.NullPointerException", "oops");
        await().until(() -> launcher.launchedNames().size() == 5);
        launcher.succeed("temp-failure", 1);
        launcher.succeed("io", 2);

        Report report = boss.waitTillFinished();
        assertEquals(2, report.worker("temp-failure").orElseThrow().attempt());
        assertEquals(2, report.worker("io").orElseThrow().attempt());
        assertEquals(1, report.worker("bug").orElseThrow().attempt());
        assertEquals(WorkerStatus.FAILED, report.worker("bug").orElseThrow().status());
        assertNull(report.worker("bug").orElseThrow().attempts());
    }

    @Test
    void aTimedOutWorkerIsRetriedWithALongerTimeoutAndTheHaltCountsOnlyFinalFailures() {
        Boss boss = boss(Scheduler.maxThreads(1), HaltPolicy.FAIL_FAST, RetryPolicy.attempts(3).withBackoff(Duration.ZERO, 1));
        boss.addInstructions(List.of(Map.of("message", "m", "name", "slow", "timeout", 0.2)));
        boss.makeThemWork();

        Report report = assertThrows(WorkerFailedException.class, boss::waitTillFinished).report();
        WorkerReport slow = report.worker("slow").orElseThrow();
        assertEquals(WorkerStatus.TIMED_OUT, slow.status());
        assertEquals("timeout", slow.cause());
        assertEquals(3, slow.attempt());
        assertEquals(List.of(0.2, 0.4), slow.attempts().stream().map(AttemptReport::timeoutSeconds).toList());
        assertTrue(slow.error().message().contains("ran longer than its timeout of 0.8 s"), slow.error().message());
    }

    @Test
    void cancelDropsAPendingSetAndStopsARunningWorker() {
        Boss boss = boss(Scheduler.maxThreads(1), HaltPolicy.FAIL_FAST, RetryPolicy.NONE);
        boss.addInstructions(sets("running", "waiting", "other"));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 1);

        assertTrue(boss.cancel("waiting"));
        assertTrue(boss.cancel("running"));
        assertFalse(boss.cancel("nobody"));
        await().until(() -> launcher.launchedNames().size() == 2);
        launcher.succeed("other", 1);

        Report report = boss.waitTillFinished();
        assertEquals(RunStatus.FINISHED, report.status(), "a cancel is not a failure");
        assertEquals(WorkerStatus.CANCELLED, report.worker("waiting").orElseThrow().status());
        assertEquals(WorkerStatus.CANCELLED, report.worker("running").orElseThrow().status());
        assertEquals(List.of("running", "other"), launcher.launchedNames());
    }

    @Test
    void aPausedWorkerDoesNotTimeOutUntilItContinues() {
        Boss boss = boss(Scheduler.maxThreads(1), HaltPolicy.KEEP_GOING, RetryPolicy.NONE);
        boss.addInstructions(List.of(Map.of("message", "m", "name", "p", "timeout", 0.3)));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 1);
        assertTrue(boss.pauseWorker("p"));
        assertTrue(boss.getReport(true).running().get(0).paused());

        await().during(Duration.ofMillis(600)).until(() -> launcher.stoppedNames().isEmpty());
        assertTrue(boss.continueWorker("p"));
        await().until(() -> launcher.stoppedNames().equals(List.of("p")));
        assertEquals(List.of("STOP p", "CONT p"), launcher.signals());
        assertEquals(WorkerStatus.TIMED_OUT, boss.waitTillFinished().worker("p").orElseThrow().status());
        assertFalse(boss.pauseWorker("p"), "nothing runs any more");
    }
}
