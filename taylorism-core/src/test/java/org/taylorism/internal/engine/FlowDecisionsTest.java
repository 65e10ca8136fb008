package org.taylorism.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Cause;
import org.taylorism.HaltPolicy;
import org.taylorism.InstructionsException;
import org.taylorism.PendingTask;
import org.taylorism.Report;
import org.taylorism.RetryPolicy;
import org.taylorism.Scheduler;
import org.taylorism.Signal;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.testing.TestWorkers;

/**
 * Sets that wait for other sets ({@code after}), decided synchronously with a recording launcher and a manual
 * clock: conditions, any_of, patterns, delays, sets that can never run, cycles, halts, retries and cancels.
 */
class FlowDecisionsTest {

    @TempDir
    Path runs;

    private SyncEngine engine(int slots) {
        return new SyncEngine(Scheduler.maxThreads(slots), HaltPolicy.KEEP_GOING, RetryPolicy.NONE, runs);
    }

    private static Map<String, Object> set(String name, Object after) {
        return after == null ? TestWorkers.echoSet(name) : TestWorkers.echoSet(name, "after", after);
    }

    private static WorkerReport worker(Report report, String name) {
        return report.workers().stream().filter(worker -> worker.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " has not ended: " + report.workers()));
    }

    private static String reasonOf(Report report, String name) {
        return report.pending().stream().filter(pending -> pending.name().equals(name)).map(PendingTask::reason).findFirst()
                .orElseThrow(() -> new AssertionError(name + " does not wait: " + report.pending()));
    }

    @Test
    void aSetWaitsForTheSetsItNamesToSucceedWhateverTheFreeSlots() {
        SyncEngine engine = engine(4);
        engine.submit(List.of(set("prepare", null), set("sim-1", List.of("prepare")), set("sim-2", "prepare"),
                set("merge", List.of("sim-*")))).send(Signal.RESUME);
        engine.launcher.assertLaunched("prepare");
        assertEquals("waits for prepare (running)", reasonOf(engine.report(), "sim-1"));
        assertEquals("waits for sim-1 (waiting), sim-2 (waiting)", reasonOf(engine.report(), "merge"));

        engine.launcher.succeed("prepare", 1);
        engine.ended();
        engine.launcher.assertLaunched("prepare", "sim-1", "sim-2");
        engine.launcher.succeed("sim-1", 2);
        engine.ended();
        engine.launcher.assertLaunched("prepare", "sim-1", "sim-2");
        assertEquals("waits for sim-2 (running)", reasonOf(engine.report(), "merge"));
        engine.launcher.succeed("sim-2", 3);
        engine.ended();
        engine.launcher.assertLaunched("prepare", "sim-1", "sim-2", "merge");
    }

    @Test
    void aSetWhoseConditionCanNeverHoldIsCancelledAtOnceAndSoAreThoseThatNeededIt() {
        SyncEngine engine = engine(4);
        engine.submit(List.of(set("build", null), set("test", "build"), set("deploy", "test"),
                set("report", Map.of("ended", List.of("test"))), set("alert", Map.of("failed", List.of("build"))),
                set("celebrate", Map.of("succeeded", List.of("build"))))).send(Signal.RESUME);
        engine.launcher.fail("build", "java.lang.IllegalStateException", "broken");
        engine.ended();

        Report report = engine.report();
        for (String cancelled : List.of("test", "deploy", "celebrate")) {
            assertEquals(WorkerStatus.CANCELLED, worker(report, cancelled).status(), cancelled);
            assertEquals(Cause.DEPENDENCY_NEVER_SATISFIED.jsonName(), worker(report, cancelled).cause(), cancelled);
        }
        assertEquals("what it waits for can never hold: 'build' failed, and it waits for it to have succeeded",
                worker(report, "test").error().message());
        assertEquals("what it waits for can never hold: 'test' cancelled, and it waits for it to have succeeded",
                worker(report, "deploy").error().message());
        // "ended" holds after any end, even a cancelled one; "failed" holds after a failure.
        engine.launcher.assertLaunched("build", "alert", "report");
    }

    @Test
    void failedWaitsForAFailureAndIsCancelledByASuccess() {
        SyncEngine engine = engine(4);
        engine.submit(List.of(set("build", null), set("on-failure", Map.of("failed", List.of("build"))))).send(Signal.RESUME);
        engine.launcher.succeed("build", 1);
        engine.ended();
        WorkerReport onFailure = worker(engine.report(), "on-failure");
        assertEquals(WorkerStatus.CANCELLED, onFailure.status());
        assertEquals("what it waits for can never hold: 'build' succeeded, and it waits for it to have failed",
                onFailure.error().message());
    }

    @Test
    void anyOfHoldsWhenOnePartHoldsAndNeverWhenNoneCan() {
        SyncEngine engine = engine(4);
        Map<String, Object> either = Map.of("any_of", List.of(Map.of("failed", List.of("a")), Map.of("failed", List.of("b"))));
        engine.submit(List.of(set("a", null), set("b", null), set("either", either),
                set("both", Map.of("succeeded", List.of("a"), "ended", List.of("b"))))).send(Signal.RESUME);
        engine.launcher.succeed("a", 1);
        engine.ended();
        engine.launcher.assertLaunched("a", "b");
        engine.launcher.crash("b", 9);
        engine.ended();
        engine.launcher.assertLaunched("a", "b", "either", "both");

        SyncEngine never = engine(4);
        never.submit(List.of(set("a", null), set("b", null), set("either", either))).send(Signal.RESUME);
        never.launcher.succeed("a", 1);
        never.launcher.succeed("b", 2);
        never.ended();
        WorkerReport cancelled = worker(never.report(), "either");
        assertEquals(WorkerStatus.CANCELLED, cancelled.status());
        assertTrue(cancelled.error().message().contains("none of its any_of can hold: 'a' succeeded"), cancelled.error().message());
    }

    @Test
    void aDelayCountsFromWhenTheConditionHolds() {
        SyncEngine engine = engine(4);
        engine.submit(List.of(set("a", null), set("later", Map.of("ended", List.of("a"), "delay", 30)))).send(Signal.RESUME);
        engine.advance(Duration.ofMinutes(5));
        engine.launcher.succeed("a", 1);
        engine.ended();
        engine.launcher.assertLaunched("a");
        engine.advance(Duration.ofSeconds(29));
        engine.launcher.assertLaunched("a");
        engine.advance(Duration.ofSeconds(1));
        engine.launcher.assertLaunched("a", "later");
    }

    @Test
    void aLaterBatchWaitsForAnEarlierOnesSets() {
        SyncEngine engine = engine(4);
        engine.submit(List.of(set("first", null), set("second", null))).send(Signal.RESUME);
        engine.launcher.succeed("first", 1);
        engine.ended();
        engine.submit(List.of(set("after-first", "first"), set("after-both", List.of("first", "second"))));
        engine.launcher.assertLaunched("first", "second", "after-first");
        engine.launcher.succeed("second", 2);
        engine.ended();
        engine.launcher.assertLaunched("first", "second", "after-first", "after-both");
    }

    @Test
    void cyclesUnknownNamesAndBadFormsAreRefusedAtSubmissionNamingThem() {
        SyncEngine engine = engine(4);
        InstructionsException cycle = assertThrows(InstructionsException.class, () -> engine.submit(List.of(
                set("a", "c"), set("b", "a"), set("c", "b"), set("free", null))));
        assertTrue(cycle.getMessage().contains("its 'after' makes a cycle: a -> c -> b -> a"), cycle.getMessage());
        InstructionsException unknown = assertThrows(InstructionsException.class, () -> engine.submit(List.of(
                set("a", "nobody"), set("b", List.of("x-*")), set("c", "c"), set("d", Map.of("delay", 3)),
                set("e", Map.of("often", List.of("a"))))));
        String message = unknown.getMessage();
        assertTrue(message.contains("#1: after: no set is named 'nobody'"), message);
        assertTrue(message.contains("#2: after: the pattern 'x-*' matches no set"), message);
        assertTrue(message.contains("#3: after: 'c' waits for itself"), message);
        assertTrue(message.contains("#4: after: a delay alone waits for nothing"), message);
        assertTrue(message.contains("#5: after: unknown key 'often'"), message);
        engine.send(Signal.RESUME);
        engine.launcher.assertLaunched();
    }

    @Test
    void aRetriedUpstreamIsWaitedForToItsLastAttempt() {
        SyncEngine engine = new SyncEngine(Scheduler.maxThreads(4), HaltPolicy.KEEP_GOING, RetryPolicy.attempts(2), runs);
        engine.submit(List.of(set("flaky", null), set("next", "flaky"))).send(Signal.RESUME);
        engine.launcher.fail("flaky", "java.io.IOException", "once");
        engine.ended();
        assertEquals("waits for flaky (pending)", reasonOf(engine.report(), "next"), "not cancelled: flaky is tried again");
        engine.advance(Duration.ofMinutes(1));
        engine.launcher.succeed("flaky", "second time");
        engine.ended();
        assertEquals(2, engine.launcher.launchCount("flaky"));
        engine.launcher.assertLaunched("flaky", "flaky", "next");
    }

    @Test
    void aHaltLeavesWaitingSetsNotStartedAndACancelByNameEndsAHeldSet() {
        SyncEngine engine = new SyncEngine(Scheduler.maxThreads(4), HaltPolicy.FAIL_FAST, RetryPolicy.NONE, runs);
        engine.submit(List.of(set("slow", null), set("bad", null), set("after-slow", "slow"), set("held", "slow")))
                .send(Signal.RESUME);
        assertTrue(engine.cancel("held"));
        WorkerReport held = worker(engine.report(), "held");
        assertEquals(WorkerStatus.CANCELLED, held.status());
        assertEquals(Cause.CANCELLED.jsonName(), held.cause());

        engine.launcher.fail("bad", "java.lang.IllegalStateException", "fail-fast");
        engine.ended();
        // Fail-fast stops slow at once: what needed it to succeed is cancelled, saying why.
        Report end = engine.finalReport();
        WorkerReport afterSlow = worker(end, "after-slow");
        assertEquals(WorkerStatus.CANCELLED, afterSlow.status());
        assertEquals("what it waits for can never hold: 'slow' killed, and it waits for it to have succeeded",
                afterSlow.error().message());

        // A halt that lets running workers finish launches nothing more: a set released then is never started.
        SyncEngine soon = new SyncEngine(Scheduler.maxThreads(4), HaltPolicy.parse("soon,fail=1"), RetryPolicy.NONE, runs);
        soon.submit(List.of(set("slow", null), set("bad", null), set("after-slow", "slow"))).send(Signal.RESUME);
        soon.launcher.fail("bad", "java.lang.IllegalStateException", "halt");
        soon.ended();
        soon.launcher.succeed("slow", 1);
        soon.ended();
        soon.launcher.assertLaunched("slow", "bad");
        assertEquals(List.of("after-slow"), soon.finalReport().pendingNames());
    }

    @Test
    void whatTheSetsWaitedForGaveFillsInTheValuesThatReadIt() {
        SyncEngine engine = engine(8);
        engine.submit(List.of(set("prepare", null), set("s-1", null), set("s-2", null),
                TestWorkers.echoSet("use", "after", List.of("prepare"), "message", "at {{prepare.result.path}}"),
                TestWorkers.echoSet("gather", "after", "s-*", "numbers", List.of("{{s-*.result}}", 7)),
                Map.of("name", "cat", "command", List.of("cat", "{{s-*.stdout}}"), "after", "s-*"),
                TestWorkers.echoSet("wrong", "after", "prepare", "numbers", List.of("{{prepare.result}}")),
                TestWorkers.echoSet("no-entry", "after", "prepare", "message", "{{prepare.result.size}}"))).send(Signal.RESUME);
        engine.launcher.succeed("prepare", Map.of("path", "/data/x"));
        engine.launcher.succeed("s-1", 1);
        engine.launcher.succeed("s-2", 2);
        engine.ended();

        assertEquals("at /data/x", engine.launcher.spec("use").values().get("message"));
        assertEquals(List.of(1, 2, 7), engine.launcher.spec("gather").values().get("numbers"), "a pattern's element is one per set");
        assertEquals(List.of("cat", engine.launcher.spec("s-1").stdout().toString(), engine.launcher.spec("s-2").stdout().toString()),
                engine.launcher.spec("cat").program());
        Report report = engine.report();
        WorkerReport wrong = worker(report, "wrong");
        assertEquals(WorkerStatus.FAILED, wrong.status());
        assertEquals(Cause.BAD_UPSTREAM_VALUE.jsonName(), wrong.cause());
        assertTrue(wrong.error().message().startsWith("what it takes from the sets it waited for: numbers: "), wrong.error().message());
        assertEquals("what it takes from the sets it waited for: {{prepare.result.size}}: the result of 'prepare' has no entry 'size'"
                + " ({\"path\":\"/data/x\"})", worker(report, "no-entry").error().message());
        assertEquals("at {{prepare.result.path}}", engine.launcher.spec("use").instructions().get("message"),
                "the instructions stay as given");
    }

    @Test
    void readingWhatASetDoesNotWaitForIsRefusedAtSubmission() {
        SyncEngine engine = engine(4);
        InstructionsException refused = assertThrows(InstructionsException.class, () -> engine.submit(List.of(set("a", null),
                TestWorkers.echoSet("b", "message", "{{a.result}}"),
                TestWorkers.echoSet("c", "message", "{{a.stdout.x}}", "after", "a"),
                TestWorkers.echoSet("d", "after", "a", "memory", "{{a.result}}"),
                TestWorkers.echoSet("e", "after", "a", "message", "{{z-*.result}}"))));
        String message = refused.getMessage();
        assertTrue(message.contains("#2: it reads what other sets give ({{a.result}}) but waits for none"), message);
        assertTrue(message.contains("#3: {{a.stdout.x}}: an output file is taken whole"), message);
        assertTrue(message.contains("#4: 'memory' cannot take what other sets give"), message);
        assertTrue(message.contains("#5: {{z-*.result}} matches no set it waits for"), message);
    }
}
