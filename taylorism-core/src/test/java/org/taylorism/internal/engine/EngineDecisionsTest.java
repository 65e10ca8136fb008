package org.taylorism.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.AttemptReport;
import org.taylorism.HaltPolicy;
import org.taylorism.PendingTask;
import org.taylorism.Report;
import org.taylorism.Reconfiguration;
import org.taylorism.RetryPolicy;
import org.taylorism.RunStatus;
import org.taylorism.Scheduler;
import org.taylorism.Signal;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.testing.TestWorkers;

/**
 * The engine's decisions, taken synchronously: no Boss thread, no process, no sleep. Time passes only when a
 * test moves the manual clock, and only then do the timer's messages (timeouts, delayed starts) arrive.
 */
class EngineDecisionsTest {

    @TempDir
    Path runs;

    private static List<Map<String, Object>> sets(String... names) {
        List<Map<String, Object>> sets = new ArrayList<>();
        for (String name : names) {
            sets.add(set(name));
        }
        return sets;
    }

    /** An Echo set named {@code name} with extra attributes given as key, value, key, value... */
    private static Map<String, Object> set(String name, Object... keyValues) {
        return TestWorkers.echoSet(name, keyValues);
    }

    private static String reason(Report report, String name) {
        return report.pending().stream().filter(task -> task.name().equals(name)).map(PendingTask::reason).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not pending in " + report.pendingNames()));
    }

    @Test
    void theSchedulerDecidesAfterEachBatchOfMessagesAndAnEndFreesItsTicket() {
        SyncEngine engine = new SyncEngine(Scheduler.maxThreads(2), HaltPolicy.KEEP_GOING, RetryPolicy.NONE, runs);
        engine.submit(sets("a", "b", "c"));
        assertTrue(engine.launcher.launchedNames().isEmpty(), "a Boss starts halted");
        assertEquals("halted", reason(engine.report(), "a"));

        engine.send(Signal.RESUME);
        engine.launcher.assertLaunched("a", "b");
        assertEquals(List.of(0, 1), List.of(engine.launcher.spec("a").ticket(), engine.launcher.spec("b").ticket()));
        assertEquals("2/2 threads busy", reason(engine.report(), "c"));

        engine.launcher.succeed("a", "done");
        engine.ended();
        engine.launcher.assertLaunched("a", "b", "c");
        assertEquals(0, engine.launcher.spec("c").ticket(), "the lowest free ticket");

        engine.send(Signal.END);
        assertNull(engine.finalReport(), "b and c still run");
        engine.launcher.succeed("b", 1);
        engine.launcher.succeed("c", 2);
        Report report = engine.ended().finalReport();
        assertEquals(RunStatus.FINISHED, report.status());
        assertEquals(List.of("a", "b", "c"), report.workers().stream().map(WorkerReport::name).toList());
    }

    @Test
    void aReconfigurationRulesTheNextRoundAndWhatEndsFromThenOn() {
        SyncEngine engine = new SyncEngine(Scheduler.maxThreads(1), HaltPolicy.KEEP_GOING, RetryPolicy.NONE, runs);
        engine.submit(sets("a", "b", "c", "d", "e")).send(Signal.RESUME);
        engine.launcher.assertLaunched("a");
        assertEquals("1/1 threads busy", reason(engine.report(), "b"));

        engine.reconfigure(Reconfiguration.none().withScheduler(Scheduler.maxThreads(3)));
        engine.launcher.assertLaunched("a", "b", "c");
        assertEquals("3/3 threads busy", reason(engine.report(), "d"));

        engine.launcher.fail("a", "java.lang.IllegalStateException", "kept going");
        engine.ended();
        engine.launcher.assertLaunched("a", "b", "c", "d");

        engine.reconfigure(Reconfiguration.none().withHaltPolicy(HaltPolicy.FAIL_FAST));
        engine.launcher.fail("b", "java.lang.IllegalStateException", "halts now");
        Report report = engine.ended().finalReport();
        assertEquals(RunStatus.FAILED, report.status(), "the new halt policy rules the failures that come after it");
        assertEquals(List.of("e"), report.pendingNames(), "nothing more launched");
    }

    @Test
    void aFailedWorkerIsRetriedOnceItsBackoffHasPassedOnTheEngineClock() {
        RetryPolicy retries = RetryPolicy.attempts(3).withBackoff(Duration.ofSeconds(10), 2);
        SyncEngine engine = new SyncEngine(Scheduler.maxThreads(1), HaltPolicy.FAIL_FAST, retries, runs);
        engine.submit(sets("flaky")).send(Signal.RESUME);
        assertEquals(1, engine.launcher.launchCount("flaky"));

        engine.launcher.fail("flaky", "java.io.IOException", "network");
        engine.ended();
        assertEquals("not before 12:00:10", reason(engine.report(), "flaky"));
        engine.advance(Duration.ofMillis(9_999));
        assertEquals(1, engine.launcher.launchCount("flaky"), "its backoff has not passed");
        engine.advance(Duration.ofMillis(1));
        assertEquals(2, engine.launcher.launchCount("flaky"));
        assertTrue(engine.launcher.spec("flaky").stdout().toString().endsWith("flaky.2.stdout"));

        engine.launcher.crash("flaky", 9);
        engine.ended().advance(Duration.ofMillis(19_999));
        assertEquals(2, engine.launcher.launchCount("flaky"), "the backoff doubles");
        engine.advance(Duration.ofMillis(1));
        assertEquals(3, engine.launcher.launchCount("flaky"));

        engine.launcher.succeed("flaky", "at last");
        Report report = engine.ended().send(Signal.END).finalReport();
        WorkerReport flaky = report.worker("flaky").orElseThrow();
        assertEquals(WorkerStatus.SUCCEEDED, flaky.status());
        assertEquals(3, flaky.attempt());
        assertEquals(List.of("exception", "no_result"), flaky.attempts().stream().map(AttemptReport::cause).toList());
        assertEquals(SyncEngine.START.plusSeconds(30), flaky.startedAt(), "the third attempt started after 10 + 20 s of backoff");
    }

    @Test
    void aWorkerIsStoppedWhenItsTimeoutHasPassedAndAPauseStopsItsClock() {
        SyncEngine engine = new SyncEngine(Scheduler.maxThreads(2), HaltPolicy.KEEP_GOING, RetryPolicy.NONE, runs);
        engine.submit(List.of(set("slow", "timeout", 30), set("paused", "timeout", 30))).send(Signal.RESUME);

        engine.advance(Duration.ofSeconds(10));
        assertTrue(engine.pause("paused", true));
        engine.advance(Duration.ofMillis(19_999));
        assertTrue(engine.launcher.stoppedNames().isEmpty(), "30 s have not passed");
        engine.advance(Duration.ofMillis(1));
        assertEquals(List.of("slow"), engine.launcher.stoppedNames(), "the paused worker's clock stands still");

        engine.advance(Duration.ofSeconds(70));
        assertTrue(engine.pause("paused", false));
        engine.advance(Duration.ofMillis(19_999));
        assertEquals(List.of("slow"), engine.launcher.stoppedNames(), "10 s before its pause, 19.999 s after");
        engine.advance(Duration.ofMillis(1));
        assertEquals(List.of("slow", "paused"), engine.launcher.stoppedNames());
        assertEquals(List.of("STOP paused", "CONT paused"), engine.launcher.signals());

        Report report = engine.send(Signal.END).finalReport();
        WorkerReport slow = report.worker("slow").orElseThrow();
        assertEquals(WorkerStatus.TIMED_OUT, slow.status());
        assertEquals("timeout", slow.cause());
        assertTrue(slow.error().message().contains("ran longer than its timeout of 30.0 s"), slow.error().message());
        assertEquals(30_000, slow.durationMs());
        assertEquals(WorkerStatus.TIMED_OUT, report.worker("paused").orElseThrow().status());
    }

    @Test
    void aDelayedSetWaitsForItsTimeWhateverTheScheduler() {
        SyncEngine engine = new SyncEngine(Scheduler.maxThreads(4), HaltPolicy.KEEP_GOING, RetryPolicy.NONE, runs);
        engine.submit(List.of(set("later", "not_before", "60"), set("at-noon-and-a-half", "not_before", "12:30:00"), set("now")))
                .send(Signal.RESUME);
        engine.launcher.assertLaunched("now");
        Report interim = engine.report();
        assertEquals("not before 12:01:00", reason(interim, "later"));
        assertEquals("not before 12:30:00", reason(interim, "at-noon-and-a-half"));

        engine.advance(Duration.ofMillis(59_999));
        engine.launcher.assertLaunched("now");
        engine.advance(Duration.ofMillis(1));
        engine.launcher.assertLaunched("now", "later");
        engine.advance(Duration.ofMinutes(29));
        engine.launcher.assertLaunched("now", "later", "at-noon-and-a-half");
        assertEquals(SyncEngine.START.plusSeconds(30 * 60), engine.report().running().get(2).startedAt());
        assertEquals(0, engine.timer.waiting(), "no wake-up is left planned");
    }
}
