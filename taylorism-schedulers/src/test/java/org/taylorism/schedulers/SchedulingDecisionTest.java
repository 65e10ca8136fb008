package org.taylorism.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taylorism.RunningWorker;
import org.taylorism.Scheduler;
import org.taylorism.SchedulingDecision;
import org.taylorism.Task;
import org.taylorism.WorkerRegistry;
import org.taylorism.testing.TestWorkers;

/**
 * The schedulers' decisions taken one at a time, outside any Boss: no thread, no launcher, no waiting. What a
 * Boss then does with a decision is {@code SchedulersTest}'s and the engine's.
 */
class SchedulingDecisionTest {

    private static final WorkerRegistry REGISTRY = WorkerRegistry.builder().register(TestWorkers.Echo.class).build();

    /** An Echo set named {@code name} with extra attributes given as key, value, key, value... */
    private static Map<String, Object> set(String name, Object... keyValues) {
        return TestWorkers.echoSet(name, keyValues);
    }

    private static String reason(List<SchedulingDecision.Waiting> waiting, String name) {
        return waiting.stream().filter(wait -> wait.task().name().equals(name)).map(SchedulingDecision.Waiting::reason).findFirst()
                .orElseThrow(() -> new AssertionError(name + " does not wait"));
    }

    @Test
    void maxMemoryFitsFirstAndRejectsWhatCanNeverFit() {
        SchedulingDecision first = SchedulingDecision.firstRound(Schedulers.maxMemory(new MemoryPolicy(1000, 2048, false, 0, 10)),
                REGISTRY, List.of(set("m600", "memory", 600), set("m500", "memory", 500), set("m300", "memory", 300), set("none")));

        assertEquals(List.of("m600", "m300"), first.launchedNames());
        assertEquals(List.of(0, 1), first.launched().stream().map(RunningWorker::ticket).toList());
        assertEquals("needs 500 MiB, 100 MiB free of 1000 declared", reason(first.waiting(), "m500"));
        assertTrue(reason(first.rejected(), "none").contains("needs 2048 MiB, more than the 1000 MiB memory budget"),
                first.rejected().toString());
    }

    @Test
    void theNextDecisionSeesWhatRunsAndTheTicketsItHolds() {
        Scheduler scheduler = Schedulers.singleOpenFile(4);
        SchedulingDecision first = SchedulingDecision.firstRound(scheduler, REGISTRY,
                List.of(set("s1", "fileA", "x"), set("s2", "fileA", "x"), set("s3", "fileB", "y"), set("s4", "fileA", "z")));
        assertEquals(List.of("s1", "s3", "s4"), first.launchedNames(), "s2 shares x with s1, launched in the same decision");
        assertEquals("fileA=x held by s1", reason(first.waiting(), "s2"));

        // s1 ends: s2 may go, and takes the ticket s1 left.
        List<RunningWorker> stillRunning = new ArrayList<>(first.launched().subList(1, 3));
        List<Task> pending = first.waiting().stream().map(SchedulingDecision.Waiting::task).toList();
        SchedulingDecision next = SchedulingDecision.of(scheduler, pending, stillRunning, Instant.now());
        assertEquals(List.of("s2"), next.launchedNames());
        assertEquals(0, next.launched().get(0).ticket());
    }

    @Test
    void resourcesAreHeldFromLaunchToEndWhateverTheSchedulerUnderThem() {
        SchedulingDecision first = SchedulingDecision.firstRound(Schedulers.withResources(Schedulers.laxist(), Map.of("licence", 3)),
                REGISTRY, List.of(set("w1", "resources", Map.of("licence", 2)), set("w2", "resources", Map.of("licence", 1)),
                        set("w3", "resources", Map.of("licence", 1)), set("free")));
        assertEquals(List.of("w1", "w2", "free"), first.launchedNames());
        assertEquals("licence 3/3 held by w1, w2", reason(first.waiting(), "w3"));
    }
}
