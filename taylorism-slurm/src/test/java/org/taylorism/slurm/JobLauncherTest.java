package org.taylorism.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taylorism.testing.Awaits.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.taylorism.RunningReport;
import org.taylorism.Signal;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.slurm.testing.SlurmCluster;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.testing.Leaks;

/** Workers as batch jobs, submitted from outside any allocation, on a real three-node Slurm. */
class JobLauncherTest {

    private static final Set<String> NODES = Set.of("n1", "n2", "n3");

    @TempDir
    Path runDirectory;

    private final List<Boss> bosses = new ArrayList<>();

    @BeforeEach
    void needSlurm() {
        SlurmCluster.assumeAvailable(3);
    }

    @AfterEach
    void closeBosses() {
        bosses.forEach(Boss::close);
        Leaks.assertNoBossThreads();
    }

    private Boss boss() {
        return boss(0);
    }

    private Boss boss(int arraySize) {
        SlurmOptions options = SlurmOptions.defaults().withMode(SlurmOptions.Mode.JOBS).withPollInterval(Duration.ofMillis(200))
                .withArraySize(arraySize);
        Boss boss = SlurmTesting.boss(SlurmLauncher.create(options), runDirectory).build();
        bosses.add(boss);
        return boss;
    }

    @Test
    void jobsEndAsLocalWorkersAndSayTheirNode() throws Exception {
        SlurmTesting.assertEndAsLocally(boss());
    }

    @Test
    void workersLaunchedTogetherGoOutAsJobArraysOfAlikeRequests() throws Exception {
        Boss boss = boss(10);
        boss.addInstructions(List.of(
                Map.of("name", "first", "command", List.of("sh", "-c", "echo one")),
                Map.of("name", "second", "command", List.of("sh", "-c", "echo two >&2; exit 3")),
                Map.of("name", "echo", "message", "hello"),
                Map.of("name", "long", "command", List.of("sleep", "60")),
                Map.of("name", "bigger", "command", List.of("sh", "-c", "echo $SLURM_CPUS_PER_TASK"), "cpus", 2)));
        boss.makeThemWork();
        await().until(() -> boss.getReport(true).workers().size() == 4);
        String arrays = SlurmCluster.run("squeue", "--noheader", "--array", "--name=first+3", "--format=%F %K %j");
        assertTrue(arrays.matches("\\s*\\d+ 3 first\\+3\\s*"), "the long sleeper is not element 3 of one array: " + arrays);
        boss.send(Signal.STOP_RIGHTNOW);
        Report report = boss.waitTillFinished();

        assertEquals(WorkerStatus.SUCCEEDED, report.worker("first").orElseThrow().status());
        assertEquals("one", Files.readString(Path.of(report.worker("first").orElseThrow().stdout())).strip());
        WorkerReport second = report.worker("second").orElseThrow();
        assertEquals(3, second.exitCode());
        assertTrue(second.error().message().contains("two"), second.error().message());
        WorkerReport echo = report.worker("echo").orElseThrow();
        assertEquals(WorkerStatus.SUCCEEDED, echo.status(), String.valueOf(echo.error()));
        assertTrue(NODES.contains(echo.node()), echo.node());
        WorkerReport bigger = report.worker("bigger").orElseThrow();
        assertEquals("2", Files.readString(Path.of(bigger.stdout())).strip());
        assertEquals(WorkerStatus.KILLED, report.worker("long").orElseThrow().status());
        await().until(() -> SlurmCluster.run("squeue", "--noheader", "--name=first+3,bigger", "--format=%i").isBlank());
    }

    @Test
    void timeSpentQueuedDoesNotCountAgainstTheTimeout() {
        String blocker = SlurmCluster.run("sbatch", "--parsable", "--job-name=taylorism-blocker", "--nodes=3", "--ntasks=6",
                "--output=/dev/null", "--wrap=sleep 15").strip();
        try {
            await().until(() -> SlurmCluster.run("squeue", "--noheader", "--jobs=" + blocker, "--format=%T").contains("RUNNING"));
            // Queued for about 15 s, timed out after 8 s of running: 7 s to spare for a job to start on a loaded machine.
            Boss boss = boss();
            boss.addInstructions(List.of(Map.of("name", "patient", "command", List.of("sleep", "1"), "timeout", 8)));
            boss.makeThemWork();
            Report report = boss.waitTillFinished();
            WorkerReport patient = report.worker("patient").orElseThrow();
            assertEquals(WorkerStatus.SUCCEEDED, patient.status(), String.valueOf(patient.error()));
            assertTrue(patient.durationMs() > 8000, "it did not wait in the queue: " + patient.durationMs() + " ms");
        } finally {
            SlurmCluster.cancel(blocker);
        }
    }

    @Test
    void stopRightNowLeavesNoJobInTheQueue() {
        Boss boss = boss();
        boss.addInstructions(List.of(
                Map.of("name", "program", "command", List.of("sh", "-c", "sleep 60 & wait")),
                Map.of("name", "java", "nap_seconds", 60),
                Map.of("name", "too-slow", "command", List.of("sleep", "60"), "timeout", 1)));
        boss.makeThemWork();
        await().until(() -> boss.getReport(true).worker("too-slow").isPresent());
        await().until(() -> boss.getReport(true).running().stream().allMatch(worker -> worker.node() != null));
        boss.send(Signal.STOP_RIGHTNOW);
        Report report = boss.waitTillFinished();

        assertEquals(WorkerStatus.TIMED_OUT, report.worker("too-slow").orElseThrow().status());
        assertEquals(WorkerStatus.KILLED, report.worker("program").orElseThrow().status());
        assertEquals(WorkerStatus.KILLED, report.worker("java").orElseThrow().status());
        await().until(() -> SlurmCluster.run("squeue", "--noheader", "--name=program,java,too-slow", "--format=%i").isBlank());
    }

    @Test
    void aNodeFailureEndsOnlyTheJobOnThatNode() {
        Boss boss = boss();
        boss.addInstructions(List.of(
                Map.of("name", "doomed", "command", List.of("sleep", "60")),
                Map.of("name", "survivor", "command", List.of("sh", "-c", "sleep 3"))));
        boss.makeThemWork();
        await().until(() -> boss.getReport(true).running().stream().filter(worker -> worker.node() != null).count() == 2);
        RunningReport doomedRunning = boss.getReport(true).running().stream().filter(worker -> worker.name().equals("doomed"))
                .findFirst().orElseThrow();
        String node = doomedRunning.node();
        assertNotNull(node);
        try {
            SlurmCluster.run("scontrol", "update", "NodeName=" + node, "State=DOWN", "Reason=taylorism-test");
            await().until(() -> boss.getReport(true).worker("doomed").isPresent());
            boss.send(Signal.END);
            Report report = boss.waitTillFinished();
            WorkerReport doomed = report.worker("doomed").orElseThrow();
            assertEquals(WorkerStatus.CRASHED, doomed.status(), String.valueOf(doomed.error()));
            assertEquals("node_fail", doomed.cause());
            assertEquals(node, doomed.node());
            WorkerReport survivor = report.worker("survivor").orElseThrow();
            if (!node.equals(survivor.node())) {
                assertEquals(WorkerStatus.SUCCEEDED, survivor.status(), String.valueOf(survivor.error()));
            }
        } finally {
            SlurmCluster.run("scontrol", "update", "NodeName=" + node, "State=RESUME");
            await().until(() -> !SlurmCluster.run("sinfo", "--noheader", "--Node", "--nodes=" + node, "--format=%T").contains("down"));
        }
    }

    @Test
    void aRunResumedAfterItsBossDiedCancelsTheJobsThatBossLeftAndOnlyThose() throws Exception {
        Path deadRun = Files.createDirectories(runDirectory.resolve("dead-run"));
        Path otherRun = Files.createDirectories(runDirectory.resolve("other-run"));
        String left = sbatch(deadRun.resolve("1-a.stdout"));
        String other = sbatch(otherRun.resolve("1-b.stdout"));
        try {
            WorkerLauncher launcher = SlurmLauncher.create(SlurmOptions.defaults().withMode(SlurmOptions.Mode.JOBS)
                    .withPollInterval(Duration.ofMillis(200)));
            try {
                List<String> said = launcher.stopLeftBehind(deadRun);
                assertTrue(said.get(0).startsWith("cancelled Slurm job " + left + " "), said.toString());
                // Its slurmd runs on this machine: the job's program may still be going when squeue lets the job go.
                assertTrue(said.stream().skip(1).allMatch(line -> line.startsWith("stopped process ")), said.toString());
                List<String> queued = queued();
                assertTrue(!queued.contains(left) && queued.contains(other), queued.toString());
                assertEquals(List.of(), launcher.stopLeftBehind(deadRun), "nothing left the second time");
            } finally {
                launcher.close();
            }
        } finally {
            new ProcessBuilder("scancel", left, other).start().waitFor();
        }
    }

    private static String sbatch(Path output) throws Exception {
        Process sbatch = new ProcessBuilder("sbatch", "--parsable", "--output=" + output, "--wrap", "sleep 600").start();
        assertEquals(0, sbatch.waitFor());
        return new String(sbatch.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    }

    private static List<String> queued() throws Exception {
        Process squeue = new ProcessBuilder("squeue", "--noheader", "--Format=JobID:40").start();
        String listing = new String(squeue.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, squeue.waitFor());
        return listing.lines().map(String::strip).toList();
    }
}
