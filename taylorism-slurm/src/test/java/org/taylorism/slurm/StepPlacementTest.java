package org.taylorism.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.taylorism.FailurePolicy;
import org.taylorism.PendingTask;
import org.taylorism.Scheduler;
import org.taylorism.WorkerRegistry;
import org.taylorism.WorkerStatus;
import org.taylorism.testing.RecordingLauncher;

/** Placement decisions inside an allocation, with a recording launcher instead of srun. */
class StepPlacementTest {
    /** The Bosses' run directories: a test leaves nothing in the system's temporary directory. */
    @TempDir
    Path runs;

    private final RecordingLauncher launcher = new RecordingLauncher();
    private final List<Boss> bosses = new ArrayList<>();
    private StepPlacement placement;

    @AfterEach
    void close() {
        bosses.forEach(Boss::close);
    }

    /** Nodes a (4 CPUs, 1000 MiB) and b (2 CPUs, 4000 MiB), or without memory when {@code memory} is false. */
    private Boss boss(Scheduler inner, boolean memory) {
        Allocation allocation = new Allocation("42", List.of(new Allocation.NodeShare("a", 4, memory ? 1000 : 0),
                new Allocation.NodeShare("b", 2, memory ? 4000 : 0)));
        placement = new StepPlacement(inner, allocation, new CpusPerWorker("cpus"));
        Boss boss = Boss.builder().runDirectory(runs.resolve("boss-" + bosses.size())).scheduler(placement).launcher(launcher).failurePolicy(FailurePolicy.KEEP_GOING).registry(WorkerRegistry.builder().build()).build();
        bosses.add(boss);
        return boss;
    }

    private static Map<String, Object> set(String name, Object cpus) {
        return Map.of("name", name, "command", List.of("true"), "cpus", cpus);
    }

    @Test
    void firstFitOverTheNodesThenWaitUntilAStepEnds() {
        Boss boss = boss(new AllocationDecides(), false);
        boss.addInstructions(List.of(set("three", 3), set("two", 2), set("one", 1), set("another-two", 2)));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 3);
        launcher.assertLaunched("three", "two", "one");
        assertEquals("a", placement.placeOf(launcher.spec("three").ticket()).node());
        assertEquals("b", placement.placeOf(launcher.spec("two").ticket()).node());
        assertEquals("a", placement.placeOf(launcher.spec("one").ticket()).node());
        PendingTask waiting = boss.getReport(true).pending().get(0);
        assertTrue(waiting.reason().contains("no node of Slurm allocation 42 has 2 CPU(s) free (a: 0 CPU(s) free, b: 0 CPU(s) free)"),
                waiting.reason());

        launcher.succeed("two", null);
        await().until(() -> launcher.launchedNames().size() == 4);
        assertEquals("b", placement.placeOf(launcher.spec("another-two").ticket()).node());
    }

    @Test
    void theUsersSchedulerStillDecidesAmongWhatFits() {
        Boss boss = boss(Scheduler.maxThreads(1), false);
        boss.addInstructions(List.of(set("first", 1), set("second", 1)));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 1);
        launcher.succeed("first", null);
        await().until(() -> launcher.launchedNames().size() == 2);
    }

    @Test
    void memoryCountsWhenTheAllocationHasSomeAndWhatNoNodeHoldsIsRejected() {
        Boss boss = boss(new AllocationDecides(), true);
        boss.addInstructions(List.of(
                Map.of("name", "big-memory", "command", List.of("true"), "memory", 3000),
                Map.of("name", "too-much-memory", "command", List.of("true"), "memory", 5000),
                set("too-many-cpus", 5),
                set("not-a-number", "lots")));
        boss.makeThemWork();
        await().until(() -> launcher.launchedNames().size() == 1 && boss.getReport(true).workers().size() == 3);
        assertEquals("b", placement.placeOf(launcher.spec("big-memory").ticket()).node());
        var report = boss.getReport(true);
        for (String name : List.of("too-much-memory", "too-many-cpus", "not-a-number")) {
            assertEquals(WorkerStatus.FAILED, report.worker(name).orElseThrow().status());
            assertEquals("rejected", report.worker(name).orElseThrow().cause());
        }
        assertTrue(report.worker("not-a-number").orElseThrow().error().message().contains("its 'cpus' is 'lots', not a whole number"),
                report.worker("not-a-number").orElseThrow().error().message());
        assertTrue(report.worker("too-much-memory").orElseThrow().error().message().contains("5000 MiB on one node, and no node of Slurm allocation 42 has that much (at most 4 CPU(s) and 4000 MiB per node)"),
                report.worker("too-much-memory").orElseThrow().error().message());
        assertEquals(4000L, placement.maxMemoryMb());
    }
}
