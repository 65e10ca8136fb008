package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.testing.Leaks;
import org.taylorism.testing.TestWorkers;

/**
 * Every way a worker can go wrong, for real: each case ends with the right status and cause, within a
 * bound, with no process left behind, and without touching the other workers' results.
 */
class FaultMatrixTest {

    @TempDir
    Path runDirectory;

    private final List<Boss> bosses = new ArrayList<>();

    private Boss.Builder builder() {
        return Boss.builder()
                .scheduler(round -> round.pending().forEach(round::launch))
                .failurePolicy(FailurePolicy.KEEP_GOING)
                .runDirectory(runDirectory)
                .stopGracePeriod(Duration.ofSeconds(1))
                .javaOptions(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"))
                .registry(WorkerRegistry.builder()
                        .register(TestWorkers.Echo.class).register(TestWorkers.Thrower.class)
                        .register(TestWorkers.Exiter.class).register(TestWorkers.SelfKiller.class)
                        .register(TestWorkers.Nap.class).register(TestWorkers.Hog.class)
                        .build());
    }

    private Report runAll(Boss boss, List<Map<String, Object>> sets) throws TimeoutException {
        bosses.add(boss);
        boss.addInstructions(sets);
        boss.makeThemWork();
        return boss.waitTillFinished(Duration.ofSeconds(90));
    }

    @AfterEach
    void noLeftovers() {
        bosses.forEach(Boss::close);
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    private static void assertEnded(Report report, String name, WorkerStatus status, String cause) {
        WorkerReport worker = report.worker(name).orElseThrow(() -> new AssertionError(name + " is not in the report"));
        assertEquals(status, worker.status(), name + ": " + worker.error());
        assertEquals(cause, worker.cause(), name + ": " + worker.error());
    }

    @Test
    void eachFaultEndsWithItsStatusAndCauseAndTheControlWorkerIsIntact() throws TimeoutException {
        Report report = runAll(builder().build(), List.of(
                Map.of("name", "control", "message", "intact"),
                Map.of("name", "exception", "fail_with", "boom"),
                Map.of("name", "exit3", "exit_code", 3),
                Map.of("name", "suicide", "kill_myself", true),
                Map.of("name", "grandchildren", "command", List.of("sh", "-c", "sleep 600 & sleep 600 & wait"), "timeout", 1.5),
                Map.of("name", "ignores-term", "command", List.of("sh", "-c", "trap '' TERM; sleep 600"), "timeout", 1.5),
                Map.of("name", "hang", "nap_seconds", 600, "timeout", 3),
                Map.of("name", "stall", "command", List.of("sh", "-c", "echo started; sleep 600"), "stall_timeout", 1.5),
                Map.of("name", "exits-on-term", "command", List.of("bash", "-c", "trap 'exit 0' TERM; sleep 600 & wait"), "timeout", 1.5)));

        assertEquals(Map.of("message", "intact", "ticket", 0, "numbers", List.of()), report.worker("control").orElseThrow().result());
        assertEnded(report, "exception", WorkerStatus.FAILED, "exception");
        assertEnded(report, "exit3", WorkerStatus.CRASHED, "no_result");
        assertEnded(report, "suicide", WorkerStatus.CRASHED, "signal");
        assertEnded(report, "grandchildren", WorkerStatus.TIMED_OUT, "timeout");
        assertEnded(report, "ignores-term", WorkerStatus.TIMED_OUT, "timeout");
        assertEquals("KILL", report.worker("ignores-term").orElseThrow().signal(), "SIGTERM ignored: SIGKILL after the grace period");
        assertEnded(report, "hang", WorkerStatus.TIMED_OUT, "timeout");
        assertEnded(report, "stall", WorkerStatus.TIMED_OUT, "stall");
        assertTrue(report.worker("stall").orElseThrow().error().message().contains("wrote nothing to stdout or stderr"));
        assertEnded(report, "exits-on-term", WorkerStatus.TIMED_OUT, "timeout"); // not "succeeded": we stopped it
        for (WorkerReport worker : report.workers()) {
            assertTrue(worker.durationMs() < 30_000, worker.name() + " took " + worker.durationMs() + " ms");
        }
        assertNotNull(report.worker("control").orElseThrow().peakRssMb(), "every Java worker reports its peak memory");
    }

    @Test
    void aMemoryHogIsStoppedAtItsLimitThenRetriedWithMoreMemoryAndSucceeds() throws TimeoutException {
        Boss boss = builder().memoryTolerance(1.0).sampleInterval(Duration.ofMillis(100))
                .retryPolicy(RetryPolicy.attempts(2).withBackoff(Duration.ZERO, 1).withEscalation(3, 2))
                .build();
        Report report = runAll(boss, List.of(
                Map.of("name", "hog", "hog_megabytes", 150, "memory", 100),
                Map.of("name", "control", "message", "intact")));

        WorkerReport hog = report.worker("hog").orElseThrow();
        assertEquals(WorkerStatus.SUCCEEDED, hog.status(), String.valueOf(hog.error()));
        assertEquals(2, hog.attempt());
        AttemptReport first = hog.attempts().get(0);
        assertEquals(WorkerStatus.MEMORY_EXCEEDED, first.status());
        assertEquals("memory_limit", first.cause());
        assertEquals(100, first.memoryMb());
        assertTrue(first.error().contains("more than its declared 100 MiB"), first.error());
        assertTrue(hog.peakRssMb() > 150, "peak " + hog.peakRssMb());
        assertEquals("intact", ((Map<?, ?>) report.worker("control").orElseThrow().result()).get("message"));
    }

    @Test
    void aJvmWorkerBeyondItsXmxFailsWithOutOfMemoryError() throws TimeoutException {
        Boss boss = builder().javaOptions(List.of("-Xmx64m", "-XX:+UseSerialGC")).build();
        Report report = runAll(boss, List.of(Map.of("name", "greedy", "hog_megabytes", 200), Map.of("name", "control", "message", "ok")));
        assertEnded(report, "greedy", WorkerStatus.FAILED, "out_of_memory_error");
        assertEquals("java.lang.OutOfMemoryError", report.worker("greedy").orElseThrow().error().type());
        assertEquals(WorkerStatus.SUCCEEDED, report.worker("control").orElseThrow().status());
    }

    @Test
    void aCrashedJvmIsReportedWithItsCrashLog() throws TimeoutException {
        Boss boss = builder().javaOptions(List.of("-Xmx32m", "-XX:+CrashOnOutOfMemoryError", "-XX:-CreateCoredumpOnCrash")).build();
        Report report = runAll(boss, List.of(Map.of("name", "crasher", "hog_megabytes", 200)));
        assertEnded(report, "crasher", WorkerStatus.CRASHED, "jvm_crash");
        WorkerReport crasher = report.worker("crasher").orElseThrow();
        assertTrue(java.nio.file.Files.exists(Path.of(crasher.hsErrFile())), crasher.hsErrFile());
        assertTrue(crasher.error().message().contains("the JVM crashed"), crasher.error().message());
    }

    /** A pooled JVM outlives its first task: its crash log is its own until it crashes, then goes to the task it crashed in. */
    @Test
    void aPooledJvmThatCrashesInALaterTaskIsReportedWithItsCrashLog() throws TimeoutException {
        Boss boss = builder().scheduler(Scheduler.maxThreads(1)).launcher(WorkerLauncher.warmPool(1, 100))
                .javaOptions(List.of("-Xmx32m", "-XX:+CrashOnOutOfMemoryError", "-XX:-CreateCoredumpOnCrash")).build();
        Report report = runAll(boss, List.of(Map.of("name", "first", "message", "ok"), Map.of("name", "crasher", "hog_megabytes", 200)));
        assertEquals(WorkerStatus.SUCCEEDED, report.worker("first").orElseThrow().status());
        assertEnded(report, "crasher", WorkerStatus.CRASHED, "jvm_crash");
        WorkerReport crasher = report.worker("crasher").orElseThrow();
        assertNotNull(crasher.hsErrFile(), "the report points to the crash log");
        assertEquals(Path.of(crasher.stdout()).resolveSibling(Path.of(crasher.stdout()).getFileName().toString().replace(".stdout", ".hs_err.log")),
                Path.of(crasher.hsErrFile()));
        assertTrue(java.nio.file.Files.exists(Path.of(crasher.hsErrFile())), crasher.hsErrFile());
    }

    @Test
    void closingTheBossWithTenWorkersRunningLeavesNoProcess() {
        Boss boss = builder().build();
        bosses.add(boss);
        List<Map<String, Object>> sets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sets.add(Map.of("name", "jvm" + i, "nap_seconds", 600));
            sets.add(Map.of("name", "sh" + i, "command", List.of("sh", "-c", "sleep 600 & wait")));
        }
        boss.addInstructions(sets);
        boss.makeThemWork();
        org.taylorism.testing.Awaits.await().until(() -> boss.getReport(true).running().size() == 10);

        boss.close();

        Leaks.assertNoChildProcesses();
        Report report = boss.getReport(false);
        assertEquals(10, report.counts().get("killed"), report.counts().toString());
    }
}
