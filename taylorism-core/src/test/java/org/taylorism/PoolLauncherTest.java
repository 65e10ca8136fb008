package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.testing.Awaits;
import org.taylorism.testing.Leaks;
import org.taylorism.testing.TestWorkers;

/** The warm pool with real JVMs: results, output files, reuse, recycling, deaths and stops. */
class PoolLauncherTest {

    @TempDir
    Path runDirectory;

    private final List<Boss> bosses = new ArrayList<>();

    private Report run(int idle, int maxTasks, List<Map<String, Object>> sets, RetryPolicy retry) throws TimeoutException {
        return run(idle, maxTasks, sets, retry, List.of());
    }

    private Report run(int idle, int maxTasks, List<Map<String, Object>> sets, RetryPolicy retry, List<String> javaOptions)
            throws TimeoutException {
        Boss boss = Boss.builder().launcher(WorkerLauncher.warmPool(idle, maxTasks)).scheduler(Scheduler.maxThreads(2))
                .javaOptions(javaOptions)
                .failurePolicy(FailurePolicy.KEEP_GOING).retryPolicy(retry).runDirectory(runDirectory).stopGracePeriod(Duration.ofSeconds(1))
                .registry(WorkerRegistry.builder().register(TestWorkers.Echo.class).register(TestWorkers.Thrower.class)
                        .register(TestWorkers.Exiter.class).register(TestWorkers.Nap.class).register(TestWorkers.Chatter.class)
                        .register(TestWorkers.RawStdout.class).register(TestWorkers.Pairer.class)
                        .register(TestWorkers.Unserialisable.class).register(TestWorkers.SelfContaining.class).build())
                .build();
        bosses.add(boss);
        boss.addInstructions(sets);
        boss.makeThemWork();
        return boss.waitTillFinished(Duration.ofSeconds(60));
    }

    /** A Boss with one pooled JVM running "gated" (until {@code gate} exists), and "next" queued in that JVM behind it. */
    private Boss gatedWithNextQueued(Path gate) {
        Boss boss = Boss.builder().launcher(WorkerLauncher.warmPool(1, 1000)).scheduler(Scheduler.maxThreads(1))
                .runDirectory(runDirectory).stopGracePeriod(Duration.ofSeconds(1))
                .registry(WorkerRegistry.builder().register(TestWorkers.Gated.class).register(TestWorkers.Echo.class).build()).build();
        bosses.add(boss);
        boss.addInstructions(List.of(Map.of("name", "gated", "gate_file", gate.toString()), Map.of("name", "next", "message", "m")));
        boss.makeThemWork();
        Awaits.await().until(() -> boss.interimReport().pending().stream()
                .anyMatch(task -> task.name().equals("next") && task.reason().startsWith("queued")));
        return boss;
    }

    /** How many pooled JVMs the run started: each has its log in the run directory. */
    private long pooledJvms() throws IOException {
        try (var logs = Files.list(runDirectory)) {
            return logs.filter(f -> f.getFileName().toString().startsWith("pool-jvm-")).count();
        }
    }

    @AfterEach
    void noLeftovers() {
        bosses.forEach(Boss::close);
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    @Test
    void outputThatCannotBeWrittenFailsTheTaskAndNamesTheFile() throws Exception {
        // The first task's stdout path is taken by a directory: its first byte cannot go anywhere.
        Files.createDirectories(runDirectory.resolve("1-loud.stdout"));
        Report report = run(1, 1000, List.of(Map.of("name", "loud", "megabytes", 1), Map.of("name", "quiet", "message", "m")),
                RetryPolicy.NONE);

        WorkerReport loud = report.worker("loud").orElseThrow();
        assertEquals(WorkerStatus.FAILED, loud.status());
        assertEquals("org.taylorism.OutputLostException", loud.error().type());
        assertTrue(loud.error().message().contains(runDirectory.resolve("1-loud.stdout").toString()), loud.error().message());
        assertEquals(WorkerStatus.SUCCEEDED, report.worker("quiet").orElseThrow().status());
    }

    @Test
    void whatATaskLeftRunningIsStoppedAtItsEndWhileItsJvmGoesOn() throws Exception {
        Boss boss = Boss.builder().launcher(WorkerLauncher.warmPool(1, 1000)).scheduler(Scheduler.maxThreads(1))
                .runDirectory(runDirectory).registry(WorkerRegistry.builder().register(TestWorkers.DaemonStarter.class).build()).build();
        bosses.add(boss);
        boss.addInstructions(List.of(Map.of("name", "leaver", "daemon_seconds", 600)));
        boss.makeThemWork();
        Report report = boss.waitTillFinished(Duration.ofMinutes(2));

        WorkerReport leaver = report.worker("leaver").orElseThrow();
        assertEquals(WorkerStatus.SUCCEEDED, leaver.status(), String.valueOf(leaver.error()));
        long daemon = Long.parseLong((String) leaver.result());
        // Stopped by the task's end: the pooled JVM still runs (the Boss is not closed yet).
        Awaits.await().until(() -> ProcessHandle.of(daemon).map(process -> !Leaks.isRunning(process)).orElse(true));
        assertTrue(Files.readString(Path.of(leaver.stderr())).contains("taylorism: this task left 1 process running when it ended"),
                Files.readString(Path.of(leaver.stderr())));
        assertEquals(1, leaver.leftBehind(), "the report counts it, as for a worker of its own process");
    }

    @Test
    void eachTaskOfAJvmIsTakenToTaskForWhatItAloneLeftRunning() throws Exception {
        // One slot, one JVM: the JVM reads its thread's children afresh at each task's end, never a stale list.
        Boss boss = Boss.builder().launcher(WorkerLauncher.warmPool(1, 1000)).scheduler(Scheduler.maxThreads(1))
                .runDirectory(runDirectory).registry(WorkerRegistry.builder().register(TestWorkers.DaemonStarter.class)
                        .register(TestWorkers.Echo.class).build()).build();
        bosses.add(boss);
        boss.addInstructions(List.of(Map.of("name", "first", "daemon_seconds", 600), Map.of("name", "quiet", "message", "m"),
                Map.of("name", "second", "daemon_seconds", 600)));
        boss.makeThemWork();
        Report report = boss.waitTillFinished(Duration.ofMinutes(2));

        assertNull(report.worker("quiet").orElseThrow().leftBehind(), "a task that started nothing left nothing");
        for (String name : List.of("first", "second")) {
            WorkerReport leaver = report.worker(name).orElseThrow();
            assertEquals(WorkerStatus.SUCCEEDED, leaver.status(), String.valueOf(leaver.error()));
            assertEquals(1, leaver.leftBehind(), name + " left its own daemon, and only that");
            long daemon = Long.parseLong((String) leaver.result());
            Awaits.await().until(() -> ProcessHandle.of(daemon).map(process -> !Leaks.isRunning(process)).orElse(true));
        }
    }

    @Test
    void manyTasksRunInFewJvmsWithTheirOwnOutputFiles() throws Exception {
        List<Map<String, Object>> sets = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sets.add(Map.of("name", "echo" + i, "message", "m" + i));
        }
        sets.add(Map.of("name", "chatty", "megabytes", 1));
        sets.add(Map.of("name", "program", "command", List.of("sh", "-c", "echo from a program")));
        Report report = run(2, 1000, sets, RetryPolicy.NONE);

        assertTrue(report.isSuccess(), report.counts().toString());
        assertEquals("m7", ((Map<?, ?>) report.worker("echo7").orElseThrow().result()).get("message"));
        assertEquals(1024 * 1024, Files.size(Path.of(report.worker("chatty").orElseThrow().stdout())));
        // A pooled task's file exists once it wrote to it: the silent ones cost no file creation.
        assertFalse(Files.exists(Path.of(report.worker("chatty").orElseThrow().stderr())));
        assertFalse(Files.exists(Path.of(report.worker("echo7").orElseThrow().stdout())));
        assertEquals("from a program\n", Files.readString(Path.of(report.worker("program").orElseThrow().stdout())));
        long jvms = pooledJvms();
        assertTrue(jvms <= 3, jvms + " JVMs for 41 Java tasks at 2 slots");
    }

    @Test
    void resultsBeyondPlainJsonCrossTheChannelThroughTheMapper() throws Exception {
        Report report = run(1, 1000, List.of(
                Map.of("name", "record", "left", "l\u00e9ft \"quoted\"", "right", 7),
                Map.of("name", "object", "unserialisable", true),
                Map.of("name", "ouroboros", "self_containing", true),
                Map.of("name", "plain", "message", "m", "numbers", List.of(1, 2))), RetryPolicy.NONE);

        WorkerReport ouroboros = report.worker("ouroboros").orElseThrow();
        assertEquals(WorkerStatus.FAILED, ouroboros.status(), "a result no writer can take is the task's error, not a crash");
        assertEquals(ResultNotSerializableException.class.getName(), ouroboros.error().type());
        assertEquals(Map.of("left", "l\u00e9ft \"quoted\"", "right", 7), report.worker("record").orElseThrow().result());
        WorkerReport object = report.worker("object").orElseThrow();
        assertEquals(WorkerStatus.FAILED, object.status());
        assertEquals(ResultNotSerializableException.class.getName(), object.error().type());
        assertTrue(object.error().message().contains("java.lang.Object"), object.error().message());
        assertEquals(List.of(1, 2), ((Map<?, ?>) report.worker("plain").orElseThrow().result()).get("numbers"));
    }

    @Test
    void whatAJvmPrintsOnItsOwnStdoutIsSkippedNotTakenForAReply() throws Exception {
        // -XX:+PrintFlagsFinal prints hundreds of lines on the JVM's standard output before main() runs.
        Report report = run(2, 1000, List.of(
                Map.of("name", "raw", "raw", "no frame here, and 4 bytes that look like a length"),
                Map.of("name", "echo", "message", "after")), RetryPolicy.NONE, List.of("-XX:+PrintFlagsFinal"));

        assertTrue(report.isSuccess(), report.workers().toString());
        assertEquals("done", report.worker("raw").orElseThrow().result());
        assertEquals("after", ((Map<?, ?>) report.worker("echo").orElseThrow().result()).get("message"));
    }

    @Test
    void aFailedTaskRetiresItsJvmAndADeadJvmFailsOnlyItsTask() throws Exception {
        Report report = run(2, 1000, List.of(
                Map.of("name", "boom", "fail_with", "bad"),
                Map.of("name", "exit", "exit_code", 3),
                Map.of("name", "fine", "message", "intact")), RetryPolicy.NONE);
        assertEquals(WorkerStatus.FAILED, report.worker("boom").orElseThrow().status());
        assertEquals("exception", report.worker("boom").orElseThrow().cause());
        WorkerReport exit = report.worker("exit").orElseThrow();
        assertEquals(WorkerStatus.CRASHED, exit.status());
        assertEquals(3, exit.exitCode());
        assertTrue(exit.error().message().contains("about to exit with 3"), exit.error().message());
        assertEquals(WorkerStatus.SUCCEEDED, report.worker("fine").orElseThrow().status());
    }

    @Test
    void timeoutsStillStopTheTaskByReplacingItsJvm() throws Exception {
        Report report = run(2, 1000, List.of(
                Map.of("name", "hang", "nap_seconds", 600, "timeout", 1),
                Map.of("name", "after", "message", "still served")),
                RetryPolicy.attempts(2).withBackoff(Duration.ZERO, 1).withRetryOn(Set.of()));
        assertEquals(WorkerStatus.TIMED_OUT, report.worker("hang").orElseThrow().status());
        assertEquals(WorkerStatus.SUCCEEDED, report.worker("after").orElseThrow().status());
    }

    @Test
    void aTaskQueuedInABusyJvmStartsTheMomentTheOneAheadEndsButNotBehindAFailure() throws Exception {
        Path gate = runDirectory.resolve("gate");
        Boss boss = Boss.builder().launcher(WorkerLauncher.warmPool(1, 1000)).scheduler(Scheduler.maxThreads(1))
                .failurePolicy(FailurePolicy.KEEP_GOING).runDirectory(runDirectory)
                .registry(WorkerRegistry.builder().register(TestWorkers.Gated.class).register(TestWorkers.Thrower.class)
                        .register(TestWorkers.Echo.class).build()).build();
        bosses.add(boss);
        boss.addInstructions(List.of(Map.of("name", "gated", "gate_file", gate.toString()), Map.of("name", "boom", "fail_with", "bad"),
                Map.of("name", "after", "message", "m")));
        boss.makeThemWork();
        Awaits.await().until(() -> boss.interimReport().pending().stream()
                .anyMatch(task -> task.name().equals("boom") && "queued to start in the process of gated".equals(task.reason())));
        Files.createFile(gate);
        Report report = boss.waitTillFinished(Duration.ofSeconds(60));

        WorkerReport gated = report.worker("gated").orElseThrow();
        WorkerReport boom = report.worker("boom").orElseThrow();
        WorkerReport after = report.worker("after").orElseThrow();
        assertEquals(WorkerStatus.SUCCEEDED, gated.status(), String.valueOf(gated.error()));
        assertEquals(WorkerStatus.FAILED, boom.status());
        assertEquals(WorkerStatus.SUCCEEDED, after.status(), String.valueOf(after.error()));
        assertEquals(gated.endedAt(), boom.startedAt(), "boom started in gated's JVM the moment gated ended");
        assertTrue(after.startedAt().isAfter(boom.endedAt()), "after, queued behind the failure, was launched anew");
        assertEquals(2, pooledJvms(),
                    "the JVM of the failure is retired; after runs in a new one");
    }

    @Test
    void aHaltWithdrawsTheTaskQueuedInAJvmBeforeItStartsAndTheJvmServesItLater() throws Exception {
        Path gate = runDirectory.resolve("gate");
        Boss boss = gatedWithNextQueued(gate);
        boss.send(Signal.HALT);
        Files.createFile(gate);
        Awaits.await().until(() -> boss.interimReport().worker("gated").isPresent());
        Report halted = boss.interimReport();
        assertEquals(List.of("next"), halted.pendingNames(), "withdrawn before gated ended: it did not start");
        assertTrue(halted.runningNames().isEmpty());

        boss.send(Signal.RESUME);
        Report report = boss.waitTillFinished(Duration.ofSeconds(60));
        assertTrue(report.isSuccess(), report.workers().toString());
        assertEquals(1, pooledJvms(), "one JVM served both");
    }

    @Test
    void aTaskQueuedBehindOneThatIsStoppedNeverBeginsInItsJvmAndIsLaunchedAnew() throws Exception {
        Boss boss = gatedWithNextQueued(runDirectory.resolve("gate"));
        assertTrue(boss.cancel("gated"));
        Report report = boss.waitTillFinished(Duration.ofSeconds(60));

        assertEquals(WorkerStatus.CANCELLED, report.worker("gated").orElseThrow().status());
        WorkerReport next = report.worker("next").orElseThrow();
        assertEquals(WorkerStatus.SUCCEEDED, next.status(), String.valueOf(next.error()));
        assertEquals(2, pooledJvms(),
                    "the JVM went with the stopped task; next ran in a new one");
    }

    /** The pool's requests do not come through the standard input that a task can close. */
    @Test
    void aTaskThatClosesItsJvmsStandardInputDoesNotCutTheJvmOffThePool() throws Exception {
        Boss boss = Boss.builder().launcher(WorkerLauncher.warmPool(1, 1000)).scheduler(Scheduler.maxThreads(1))
                .runDirectory(runDirectory)
                .registry(WorkerRegistry.builder().register(TestWorkers.StdinCloser.class).register(TestWorkers.Echo.class).build()).build();
        bosses.add(boss);
        boss.addInstructions(List.of(Map.of("name", "closer", "close_stdin", "closed"), Map.of("name", "next", "message", "m")));
        boss.makeThemWork();
        Awaits.await().until(() -> boss.interimReport().pending().stream()
                .anyMatch(task -> task.name().equals("next") && task.reason().startsWith("queued")));
        Report report = boss.waitTillFinished(Duration.ofSeconds(60));

        assertEquals(WorkerStatus.SUCCEEDED, report.worker("closer").orElseThrow().status());
        WorkerReport next = report.worker("next").orElseThrow();
        assertEquals(WorkerStatus.SUCCEEDED, next.status(), String.valueOf(next.error()));
        assertEquals(1, pooledJvms(), "one JVM ran both");
    }

    @Test
    void jvmsAreRecycledAfterTheirQuota() throws IOException, TimeoutException {
        List<Map<String, Object>> sets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sets.add(Map.of("name", "e" + i, "message", "m"));
        }
        assertTrue(run(1, 2, sets, RetryPolicy.NONE).isSuccess());
        assertTrue(pooledJvms() >= 3, "6 tasks, 2 per JVM");
    }
}
