package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taylorism.testing.Awaits.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.testing.Leaks;

/** A Boss leaves the JVM it ran in as it found it: no system property set, no thread of its own left running. */
class NoSideEffectsTest {

    @TempDir
    Path runs;

    /**
     * Threads of taylorism's, but for a class-data archive's training: a one-off build for every Boss of the JVM
     * with the same worker class path (its cache is the JVM's, by design), which ends within two minutes.
     */
    private static List<String> taylorismThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("taylorism-") && !name.equals("taylorism-cds-training")).sorted().toList();
    }

    @Test
    void aClosedBossLeavesNoThreadAndSetsNoSystemProperty() {
        assertNull(System.getProperty("jdk.lang.Process.launchMechanism"), "set before this test: it proves nothing");
        Boss boss = Boss.builder().runDirectory(runs).scheduler(Scheduler.maxThreads(2)).haltPolicy(HaltPolicy.KEEP_GOING)
                .stopGracePeriod(Duration.ofSeconds(1)).classDataSharing(false).registry(WorkerRegistry.builder().build()).build();
        try (boss) {
            boss.addInstructions(List.of(
                    Map.of("name", "quick", "command", List.of("true")),
                    // Deaf to SIGTERM: its stop needs the escalation's SIGKILL after the grace period.
                    Map.of("name", "deaf", "command", List.of("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done"),
                            "timeout", 600)));
            boss.makeThemWork();
            await().until(() -> boss.interimReport().workers().size() == 1 && boss.interimReport().running().size() == 1);
            assertTrue(boss.cancel("deaf"));
            Report report = boss.waitTillFinished();
            assertEquals(WorkerStatus.CANCELLED, report.worker("deaf").orElseThrow().status());
            assertEquals(report, boss.publishedReport().orElseThrow(), "once over, the published report is the final one");
        }
        assertNull(System.getProperty("jdk.lang.Process.launchMechanism"), "the library set a JVM-wide property");
        await().until(() -> taylorismThreads().isEmpty());
        Leaks.assertNoChildProcesses();
    }
}
