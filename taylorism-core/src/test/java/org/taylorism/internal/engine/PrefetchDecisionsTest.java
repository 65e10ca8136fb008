package org.taylorism.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.HaltPolicy;
import org.taylorism.PendingTask;
import org.taylorism.Report;
import org.taylorism.RetryPolicy;
import org.taylorism.RunStatus;
import org.taylorism.RunningReport;
import org.taylorism.Scheduler;
import org.taylorism.Task;
import org.taylorism.Signal;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.testing.TestWorkers;

/**
 * A warm pool's prefetch, decided synchronously: the task queued behind each running worker, when it starts, and
 * what withdraws it. The recording launcher plays the pool: a queued task starts at the end of the worker ahead
 * unless that worker did not return or the task was withdrawn in time.
 */
class PrefetchDecisionsTest {

    @TempDir
    Path runs;

    private SyncEngine engine(Scheduler scheduler) {
        SyncEngine engine = new SyncEngine(scheduler, HaltPolicy.KEEP_GOING, RetryPolicy.NONE, runs);
        engine.launcher.queueing(true);
        return engine;
    }

    private static List<Map<String, Object>> sets(String... names) {
        List<Map<String, Object>> sets = new ArrayList<>();
        for (String name : names) {
            sets.add(TestWorkers.echoSet(name));
        }
        return sets;
    }

    private static String reason(Report report, String name) {
        return report.pending().stream().filter(task -> task.name().equals(name)).map(PendingTask::reason).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not pending in " + report.pendingNames()));
    }

    private static RunningReport running(Report report, String name) {
        return report.running().stream().filter(worker -> worker.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not running in " + report.runningNames()));
    }

    @Test
    void aTaskIsQueuedBehindEachRunningWorkerAndStartsWithItsTicketTheMomentItEnds() {
        SyncEngine engine = engine(Scheduler.maxThreads(2));
        engine.submit(sets("a", "b", "c", "d", "e")).send(Signal.RESUME);

        engine.launcher.assertLaunched("a", "b");
        assertEquals("c", engine.launcher.queuedBehind("a"));
        assertEquals("d", engine.launcher.queuedBehind("b"));
        Report interim = engine.report();
        assertEquals("queued to start in the process of a", reason(interim, "c"));
        assertEquals(List.of("c", "d", "e"), interim.pendingNames(), "a queued task is still pending");
        assertEquals("2/2 threads busy", reason(interim, "e"));

        engine.clock.advance(Duration.ofSeconds(5));
        engine.launcher.succeed("a", 1);
        engine.ended();
        engine.launcher.assertLaunched("a", "b", "c");
        assertEquals(0, engine.launcher.spec("c").ticket(), "the ticket of the worker it follows");
        Report afterA = engine.report();
        assertEquals(List.of("b", "c"), afterA.runningNames());
        WorkerReport a = afterA.worker("a").orElseThrow();
        assertEquals(a.endedAt(), running(afterA, "c").startedAt(), "its clock starts when the worker ahead ends");
        assertEquals("e", engine.launcher.queuedBehind("c"), "the next one is queued behind it at once");
        assertEquals("d", engine.launcher.queuedBehind("b"), "d is still queued behind b");
        assertEquals(List.of("d", "e"), afterA.pendingNames());

        for (String name : List.of("b", "c", "d", "e")) {
            engine.launcher.succeed(name, name);
            engine.ended();
        }
        engine.send(Signal.END);
        Report done = engine.finalReport();
        assertEquals(RunStatus.FINISHED, done.status());
        assertEquals(5, done.workers().stream().filter(worker -> worker.status() == WorkerStatus.SUCCEEDED).count());
        assertEquals(List.of("a", "b", "c", "d", "e"), engine.launcher.launchedNames(), "each launched once");
    }

    @Test
    void aTaskQueuedBehindAFailureDoesNotStartThereAndIsLaunchedInItsPlace() {
        SyncEngine engine = engine(Scheduler.maxThreads(1));
        engine.submit(sets("a", "b")).send(Signal.RESUME);
        assertEquals("b", engine.launcher.queuedBehind("a"));

        engine.launcher.fail("a", "java.lang.IllegalStateException", "broken");
        engine.ended();

        engine.launcher.assertLaunched("a", "b");
        assertEquals(1, engine.launcher.launchCount("b"));
        assertEquals(List.of("b"), engine.report().runningNames(), "launched the usual way, in the round after a's end");
        engine.launcher.succeed("b", 2);
        engine.ended().send(Signal.END);
        Report done = engine.finalReport();
        assertEquals(WorkerStatus.FAILED, done.worker("a").orElseThrow().status());
        assertEquals(WorkerStatus.SUCCEEDED, done.worker("b").orElseThrow().status());
    }

    @Test
    void haltWithdrawsWhatIsQueuedAndATaskThatStartedAnywayRunsAsAnyWorker() {
        SyncEngine engine = engine(Scheduler.maxThreads(2));
        engine.submit(sets("a", "b", "c", "d")).send(Signal.RESUME);
        engine.launcher.withdrawLate("d");

        engine.send(Signal.HALT);
        assertEquals(List.of("c", "d"), engine.launcher.withdrawnNames());
        assertNull(engine.launcher.queuedBehind("a"), "c is withdrawn at once");
        assertEquals("halted", reason(engine.report(), "c"));
        assertEquals("d", engine.launcher.queuedBehind("b"), "d had started already, as far as its launcher knows");
        engine.launcher.succeed("a", 1);
        engine.launcher.succeed("b", 2);
        engine.ended();

        engine.launcher.assertLaunched("a", "b", "d");
        Report halted = engine.report();
        assertEquals(List.of("d"), halted.runningNames(), "its withdrawal came too late: it runs");
        assertEquals("halted", reason(halted, "c"), "withdrawn in time: pending again, nothing queued while halted");
        assertNull(engine.launcher.queuedBehind("d"));

        engine.send(Signal.RESUME);
        engine.launcher.assertLaunched("a", "b", "d", "c");
        engine.launcher.succeed("c", 3);
        engine.launcher.succeed("d", 4);
        engine.ended().send(Signal.END);
        assertEquals(4, engine.finalReport().workers().stream().filter(worker -> worker.status() == WorkerStatus.SUCCEEDED).count());
    }

    @Test
    void aCancelledQueuedTaskEndsCancelledOrIsStoppedIfItStartedAnyway() {
        SyncEngine engine = engine(Scheduler.maxThreads(2));
        engine.submit(sets("a", "b", "c", "d", "e", "f")).send(Signal.RESUME);
        engine.launcher.withdrawLate("d");

        assertTrue(engine.cancel("c"));
        assertEquals(WorkerStatus.CANCELLED, engine.report().worker("c").orElseThrow().status(), "withdrawn, it ends at once");
        assertTrue(engine.cancel("d"));
        engine.launcher.succeed("a", 1);
        engine.launcher.succeed("b", 2);
        engine.ended();

        WorkerReport c = engine.report().worker("c").orElseThrow();
        assertEquals(WorkerStatus.CANCELLED, c.status());
        assertEquals("cancelled by name before it started", c.error().message());
        assertEquals(List.of("d"), engine.launcher.stoppedNames(), "d started after all: it is stopped at once");
        WorkerReport d = engine.report().worker("d").orElseThrow();
        assertEquals(WorkerStatus.CANCELLED, d.status());
        assertFalse(engine.launcher.launchedNames().contains("c"));
    }

    @Test
    void stopRightNowStopsATaskThatStartedDespiteItsWithdrawal() {
        SyncEngine engine = engine(Scheduler.maxThreads(1));
        engine.submit(sets("a", "b", "c")).send(Signal.RESUME);
        engine.launcher.withdrawLate("b");
        engine.launcher.succeed("a", 1);
        engine.ended();
        assertEquals("c", engine.launcher.queuedBehind("b"));

        engine.launcher.withdrawLate("c");
        engine.send(Signal.STOP_RIGHTNOW);
        // b is stopped (killed): what was queued behind it does not start.
        Report done = engine.finalReport();
        assertTrue(done != null && done.status() != RunStatus.INTERIM, "the run is over once b is gone");
        assertEquals(List.of("c"), done.pendingNames(), "never started");
        assertFalse(engine.launcher.launchedNames().contains("c"));
    }

    @Test
    void stopListeningSaysThatATaskWhoseWithdrawalCameTooLateMayStillStartUnwatched() {
        SyncEngine engine = engine(Scheduler.maxThreads(2));
        engine.submit(sets("a", "b", "c", "d", "e")).send(Signal.RESUME);
        engine.launcher.withdrawLate("d");

        engine.send(Signal.STOP_LISTENING);
        Report done = engine.finalReport();
        assertEquals(List.of("c", "d", "e"), done.pendingNames());
        assertEquals("never started: the Boss stopped listening (STOP_LISTENING)", reason(done, "c"), "withdrawn in time");
        assertEquals("never started: the Boss stopped listening (STOP_LISTENING)", reason(done, "e"), "never queued");
        assertEquals("queued to start in the process of b when the Boss stopped listening (STOP_LISTENING), and not"
                + " taken back in time: it may still run there, unwatched", reason(done, "d"));
    }

    @Test
    void aSchedulerThatDoesNotDecideByCountsAloneGetsNothingQueued() {
        Scheduler oneAtATime = round -> {
            if (round.running().isEmpty() && round.pendingCount() > 0) {
                round.launch(round.pending().iterator().next());
            }
        };
        SyncEngine engine = engine(oneAtATime);
        engine.submit(sets("a", "b")).send(Signal.RESUME);
        engine.launcher.assertLaunched("a");
        assertNull(engine.launcher.queuedBehind("a"));
        assertEquals(List.of("b"), engine.report().pendingNames());
    }

    @Test
    void aSetWithTheNameOfAnotherRunningWorkerIsNotQueued() {
        SyncEngine engine = engine(Scheduler.maxThreads(2));
        engine.submit(sets("a", "b")).send(Signal.RESUME);
        engine.launcher.assertLaunched("a", "b");
        // A second "b" may not start while the first runs: it is queued behind the first, not behind a.
        engine.submit(sets("b"));
        assertNull(engine.launcher.queuedBehind("a"));
        assertEquals("b", engine.launcher.queuedBehind("b"));
        engine.launcher.succeed("b", 1);
        engine.ended();
        assertEquals(2, engine.launcher.launchCount("b"), "the second b, launched once the first ended");
        assertTrue(engine.report().pendingNames().isEmpty());
    }

    @Test
    void subTasksAreNeverQueuedForTheirParentWaitsForThem() {
        SyncEngine engine = engine(Scheduler.maxThreads(1));
        engine.submit(sets("a")).send(Signal.RESUME);
        engine.launcher.assertLaunched("a");

        List<Task> children = engine.submitSubTasks("a", sets("x"));
        assertNull(engine.launcher.queuedBehind("a"), "a/x is not queued behind a: a would wait for it for ever");
        engine.lend("a", children);
        engine.launcher.assertLaunched("a", "a/x");
        engine.launcher.succeed("a/x", 1);
        engine.launcher.succeed("a", 2);
        engine.ended().send(Signal.END);
        assertEquals(2, engine.finalReport().workers().stream().filter(worker -> worker.status() == WorkerStatus.SUCCEEDED).count());
    }

    @Test
    void theNameOfAQueuedTaskIsInUseAsARunningWorkersIs() {
        SyncEngine engine = engine(Scheduler.maxThreads(2));
        engine.submit(sets("a", "b", "y")).send(Signal.RESUME);
        assertEquals("y", engine.launcher.queuedBehind("a"));
        engine.submit(sets("y")); // names are unique within a batch, not across batches
        assertNull(engine.launcher.queuedBehind("b"), "a second y would start beside the first");

        engine.launcher.succeed("b", 1);
        engine.ended();
        WorkerReport second = engine.report().workers().stream().filter(worker -> worker.name().equals("y")).findFirst().orElseThrow();
        assertEquals(WorkerStatus.FAILED, second.status(), "launched in b's slot while the first y is queued: its name is in use");
        assertEquals("name_in_use", second.cause());
        engine.launcher.succeed("a", 2);
        engine.ended();
        assertEquals(List.of("y"), engine.report().runningNames(), "the first y started when a ended");
    }

    @Test
    void nothingIsQueuedWhileAWorkerLendsItsSlotForItCountsAgainWhenItsSubTasksEnd() {
        SyncEngine engine = engine(Scheduler.maxThreads(1));
        engine.submit(sets("p")).send(Signal.RESUME);
        List<Task> children = engine.submitSubTasks("p", sets("s"));
        engine.submit(sets("q"));
        engine.lend("p", children);
        engine.launcher.assertLaunched("p", "p/s");
        assertNull(engine.launcher.queuedBehind("p/s"), "q behind p/s would run beside p once p/s ends");

        engine.launcher.succeed("p/s", 1);
        engine.ended();
        engine.launcher.assertLaunched("p", "p/s");
        assertEquals("q", engine.launcher.queuedBehind("p"), "p has its slot back: q is queued behind it");
    }
}
