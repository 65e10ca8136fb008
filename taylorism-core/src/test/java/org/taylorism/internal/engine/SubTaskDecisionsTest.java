package org.taylorism.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Cause;
import org.taylorism.HaltPolicy;
import org.taylorism.PendingTask;
import org.taylorism.Report;
import org.taylorism.RetryPolicy;
import org.taylorism.RunStatus;
import org.taylorism.Scheduler;
import org.taylorism.Signal;
import org.taylorism.Task;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.testing.TestWorkers;

/**
 * Sub-tasks, decided synchronously with a recording launcher: a waiting parent lends its slot, sub-tasks go
 * first, a failed parent takes its sub-tasks with it, and every Java attempt gets a contact that is closed at its end.
 */
class SubTaskDecisionsTest {

    @TempDir
    Path runs;

    private static List<Map<String, Object>> sets(String... names) {
        List<Map<String, Object>> sets = new ArrayList<>();
        for (String name : names) {
            sets.add(TestWorkers.echoSet(name));
        }
        return sets;
    }

    private SyncEngine twoSlots() {
        return new SyncEngine(Scheduler.maxThreads(2), HaltPolicy.KEEP_GOING, RetryPolicy.NONE, runs);
    }

    private static WorkerReport worker(Report report, String name) {
        return report.workers().stream().filter(worker -> worker.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " has not ended: " + report.workers()));
    }

    @Test
    void aWaitingParentLendsItsSlotToItsSubTasksWhichGoBeforeOtherSets() {
        SyncEngine engine = twoSlots();
        engine.submit(sets("a", "b", "c")).send(Signal.RESUME);
        engine.launcher.assertLaunched("a", "b");

        List<Task> children = engine.submitSubTasks("a", sets("x", "y", "z"));
        assertEquals(List.of("a/x", "a/y", "a/z"), children.stream().map(Task::name).toList(), "named under their parent");
        engine.launcher.assertLaunched("a", "b");
        assertEquals(List.of("a/x", "a/y", "a/z", "c"), engine.report().pending().stream().map(PendingTask::name).toList(),
                "sub-tasks go first");

        CompletableFuture<Void> done = engine.lend("a", children);
        engine.launcher.assertLaunched("a", "b", "a/x");
        engine.launcher.succeed("a/x", 1);
        engine.ended();
        engine.launcher.assertLaunched("a", "b", "a/x", "a/y");
        engine.launcher.succeed("a/y", 2);
        engine.ended();
        engine.launcher.assertLaunched("a", "b", "a/x", "a/y", "a/z");
        assertFalse(done.isDone(), "a/z runs");
        engine.launcher.succeed("a/z", 3);
        engine.ended();
        assertTrue(done.isDone(), "every sub-task it waited for has ended");
        engine.launcher.assertLaunched("a", "b", "a/x", "a/y", "a/z");
        assertEquals("2/2 threads busy", engine.report().pending().get(0).reason(), "a has its slot back: c waits");

        engine.launcher.succeed("a", "a's own");
        engine.ended();
        engine.launcher.assertLaunched("a", "b", "a/x", "a/y", "a/z", "c");
        assertEquals("token-of-a/x", engine.launcher.spec("a/x").bossContact().token());
        assertTrue(engine.contacts.containsAll(List.of("open a", "open a/x", "close a/x", "close a")), engine.contacts.toString());
    }

    @Test
    void twoParentsWaitingOnEverySlotStillFinish() {
        SyncEngine engine = twoSlots();
        engine.submit(sets("p1", "p2")).send(Signal.RESUME).send(Signal.END);
        List<Task> first = engine.submitSubTasks("p1", sets("c1", "c2", "c3"));
        List<Task> second = engine.submitSubTasks("p2", sets("c1", "c2", "c3"));
        CompletableFuture<Void> firstDone = engine.lend("p1", first);
        CompletableFuture<Void> secondDone = engine.lend("p2", second);
        List<String> running = engine.launcher.runningNames().stream().filter(name -> name.contains("/")).toList();
        assertEquals(List.of("p1/c1", "p1/c2"), running, "both lent slots run sub-tasks, the first parent's first");
        for (int round = 0; round < 6 && !(firstDone.isDone() && secondDone.isDone()); round++) {
            running = engine.launcher.runningNames().stream().filter(name -> name.contains("/")).toList();
            assertFalse(running.isEmpty(), "a lent slot runs a sub-task");
            running.forEach(name -> engine.launcher.succeed(name, name));
            engine.ended();
        }
        assertTrue(firstDone.isDone() && secondDone.isDone(), "no deadlock");
        engine.launcher.succeed("p1", 1);
        engine.launcher.succeed("p2", 2);
        Report report = engine.ended().finalReport();
        assertEquals(RunStatus.FINISHED, report.status());
        assertEquals(8, report.workers().stream().filter(worker -> worker.status() == WorkerStatus.SUCCEEDED).count());
    }

    @Test
    void aParentThatFailsCancelsItsPendingSubTasksAndStopsItsRunningOnes() {
        SyncEngine engine = twoSlots();
        engine.submit(sets("p", "q")).send(Signal.RESUME);
        List<Task> children = engine.submitSubTasks("p", sets("c1", "c2", "c3"));
        CompletableFuture<Void> done = engine.lend("p", children);
        engine.launcher.assertLaunched("p", "q", "p/c1");

        engine.launcher.crash("p", 137);
        engine.ended();
        assertTrue(done.isDone(), "a parent that ended waits no more");
        assertEquals(List.of("p/c1"), engine.launcher.stoppedNames());
        Report report = engine.report();
        for (String name : List.of("p/c1", "p/c2", "p/c3")) {
            WorkerReport child = worker(report, name);
            assertEquals(Cause.CANCELLED.jsonName(), child.cause(), name);
            assertTrue(child.error().message().contains("its parent 'p' crashed"), child.error().message());
        }
        engine.launcher.assertLaunched("p", "q", "p/c1");
        assertTrue(report.pending().isEmpty(), "nothing of p's is left to run: " + report.pendingNames());
    }

    @Test
    void aStopCancelsTheSubTasksNotLaunchedSoThatTheirWaitingParentCanEnd() {
        SyncEngine engine = new SyncEngine(Scheduler.maxThreads(1), HaltPolicy.KEEP_GOING, RetryPolicy.NONE, runs);
        engine.submit(sets("p", "other")).send(Signal.RESUME);
        List<Task> children = engine.submitSubTasks("p", sets("c1", "c2"));
        CompletableFuture<Void> done = engine.lend("p", children);
        engine.launcher.assertLaunched("p", "p/c1");

        engine.send(Signal.STOP);
        assertEquals(Cause.CANCELLED.jsonName(), worker(engine.report(), "p/c2").cause(), "not launched: the run stops");
        assertFalse(done.isDone(), "p/c1 still runs");
        engine.launcher.succeed("p/c1", 1);
        engine.ended();
        assertTrue(done.isDone(), "p waits no more");
        engine.launcher.succeed("p", "gave up on c2");
        Report report = engine.ended().finalReport();
        assertEquals(List.of("other"), report.pendingNames(), "a set that is no sub-task stays, never started");
        engine.launcher.assertLaunched("p", "p/c1");
    }

    @Test
    void subTasksOfAParentThatNoLongerRunsAreCancelledAtOnce() {
        SyncEngine engine = twoSlots();
        engine.submit(sets("p")).send(Signal.RESUME);
        engine.launcher.succeed("p", 1);
        engine.ended();
        engine.submitSubTasks("p", sets("late"));
        WorkerReport late = worker(engine.report(), "p/late");
        assertEquals(Cause.CANCELLED.jsonName(), late.cause());
        assertTrue(late.error().message().contains("its parent 'p' (attempt 1) no longer runs"), late.error().message());
        engine.launcher.assertLaunched("p");
    }

    @Test
    void aParentThatSucceedsLeavesItsSubTasksToRun() {
        SyncEngine engine = twoSlots();
        engine.submit(sets("p")).send(Signal.RESUME);
        engine.submitSubTasks("p", sets("fire", "forget"));
        engine.launcher.assertLaunched("p", "p/fire");
        engine.launcher.succeed("p", 1);
        engine.ended();
        engine.launcher.assertLaunched("p", "p/fire", "p/forget");
        assertTrue(engine.launcher.stoppedNames().isEmpty());
    }
}
