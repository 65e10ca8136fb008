package org.taylorism.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taylorism.testing.Awaits.await;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Boss;
import org.taylorism.Report;
import org.taylorism.Signal;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.slurm.testing.SlurmCluster;
import org.taylorism.testing.Leaks;

/** Workers as job steps of a real allocation of three 2-CPU nodes. */
class StepLauncherTest {

    private static final Set<String> NODES = Set.of("n1", "n2", "n3");

    @TempDir
    Path runDirectory;

    private String allocation;
    private final List<Boss> bosses = new ArrayList<>();

    @BeforeEach
    void allocate() {
        SlurmCluster.assumeAvailable(3);
        allocation = SlurmCluster.allocate(3, 6);
    }

    @AfterEach
    void release() {
        bosses.forEach(Boss::close);
        if (allocation != null) {
            SlurmCluster.cancel(allocation);
        }
        Leaks.assertNoBossThreads();
    }

    private Boss boss() {
        Boss boss = SlurmTesting.boss(SlurmLauncher.create(SlurmOptions.defaults().withJobId(allocation)), runDirectory).build();
        bosses.add(boss);
        return boss;
    }

    @Test
    void commandsAndJavaWorkersEndAsLocallyAndSayTheirNode() throws Exception {
        SlurmTesting.assertEndAsLocally(boss());
    }

    @Test
    void stepsGoWhereTheAllocationHasRoomAndTooBigOnesAreRejected() {
        Boss boss = boss();
        List<Map<String, Object>> sets = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sets.add(Map.of("name", "pair-" + i, "command", List.of("sleep", "1"), "cpus", 2));
        }
        sets.add(Map.of("name", "too-big", "command", List.of("true"), "cpus", 3));
        boss.addInstructions(sets);
        boss.makeThemWork();
        Report report = boss.waitTillFinished();

        WorkerReport tooBig = report.worker("too-big").orElseThrow();
        assertEquals("rejected", tooBig.cause());
        assertTrue(tooBig.error().message().contains("at most 2 CPU(s) per node"), tooBig.error().message());
        List<WorkerReport> pairs = report.workers().stream().filter(worker -> worker.name().startsWith("pair-")).toList();
        assertEquals(4, pairs.size());
        for (WorkerReport a : pairs) {
            assertEquals(WorkerStatus.SUCCEEDED, a.status(), String.valueOf(a.error()));
            assertTrue(NODES.contains(a.node()), a.node());
            long runningAtItsStart = pairs.stream()
                    .filter(b -> !b.startedAt().isAfter(a.startedAt()) && b.endedAt().isAfter(a.startedAt())).count();
            assertTrue(runningAtItsStart <= 3, "more 2-CPU steps at once than the allocation has nodes: " + pairs.stream()
                    .map(w -> w.name() + "@" + w.node() + " " + w.startedAt() + "-" + w.endedAt()).toList());
            for (WorkerReport b : pairs) {
                if (a != b && overlap(a, b)) {
                    assertNotEquals(a.node(), b.node(), "two 2-CPU steps at once on one 2-CPU node: " + a.name() + ", " + b.name());
                }
            }
        }
    }

    private static boolean overlap(WorkerReport a, WorkerReport b) {
        return a.startedAt().isBefore(b.endedAt()) && b.startedAt().isBefore(a.endedAt());
    }

    @Test
    void timeoutCancelAndStopRightNowLeaveNoStepBehind() {
        Boss boss = boss();
        boss.addInstructions(List.of(
                Map.of("name", "too-slow", "command", List.of("sleep", "60"), "timeout", 1),
                Map.of("name", "cancelled", "nap_seconds", 60),
                Map.of("name", "killed-program", "command", List.of("sh", "-c", "sleep 60 & wait")),
                Map.of("name", "killed-java", "nap_seconds", 60)));
        boss.makeThemWork();
        await().until(() -> SlurmCluster.steps(allocation).size() == 4);
        assertTrue(boss.cancel("cancelled"));
        await().until(() -> boss.getReport(true).worker("too-slow").isPresent() && boss.getReport(true).worker("cancelled").isPresent());
        boss.send(Signal.STOP_RIGHTNOW);
        Report report = boss.waitTillFinished();

        assertEquals(WorkerStatus.TIMED_OUT, report.worker("too-slow").orElseThrow().status());
        assertEquals(WorkerStatus.CANCELLED, report.worker("cancelled").orElseThrow().status());
        for (String name : List.of("killed-program", "killed-java")) {
            WorkerReport killed = report.worker(name).orElseThrow();
            assertEquals(WorkerStatus.KILLED, killed.status(), name + ": " + killed.error());
        }
        await().until(() -> SlurmCluster.steps(allocation).isEmpty());
    }

    @Test
    void aStepSrunCannotStartIsALaunchFailureQuotingSrun() {
        Boss boss = SlurmTesting.boss(SlurmLauncher.create(SlurmOptions.defaults().withJobId(allocation)
                .withSrunArguments(List.of("--no-such-srun-option"))), runDirectory).build();
        bosses.add(boss);
        boss.addInstructions(List.of(Map.of("name", "never", "command", List.of("true"))));
        boss.makeThemWork();
        WorkerReport never = boss.waitTillFinished().worker("never").orElseThrow();
        assertEquals(WorkerStatus.FAILED, never.status());
        assertEquals("launch_failed", never.cause());
        assertTrue(never.error().message().contains("srun could not start the step") && never.error().message().contains("no-such-srun-option"),
                never.error().message());
    }

    @Test
    void aNodeFailureEndsItsWorkerAsNodeFail() {
        Boss boss = boss();
        boss.addInstructions(List.of(Map.of("name", "doomed", "command", List.of("sleep", "60"))));
        boss.makeThemWork();
        await().until(() -> boss.getReport(true).running().size() == 1 && SlurmCluster.steps(allocation).size() == 1);
        String node = boss.getReport(true).running().get(0).node();
        assertNotNull(node);
        Instant downAt = Instant.now();
        try {
            SlurmCluster.run("scontrol", "update", "NodeName=" + node, "State=DOWN", "Reason=taylorism-test");
            Report report = boss.waitTillFinished();
            WorkerReport doomed = report.worker("doomed").orElseThrow();
            assertEquals(WorkerStatus.CRASHED, doomed.status(), String.valueOf(doomed.error()));
            assertEquals("node_fail", doomed.cause());
            assertEquals(node, doomed.node());
            assertTrue(doomed.endedAt().isAfter(downAt));
        } finally {
            SlurmCluster.run("scontrol", "update", "NodeName=" + node, "State=RESUME");
            await().until(() -> !SlurmCluster.run("sinfo", "--noheader", "--Node", "--nodes=" + node, "--format=%T").contains("down"));
        }
    }
}
