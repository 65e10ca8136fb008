package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taylorism.testing.Awaits.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.testing.Leaks;
import org.taylorism.testing.TestWorkers;

/** Workers as real child processes: JVMs and programs. */
class ProcessWorkersTest {

    @TempDir
    Path runDirectory;

    private final List<Boss> bosses = new ArrayList<>();

    private Boss boss(int maxThreads, FailurePolicy policy) {
        Boss boss = Boss.builder()
                .scheduler(Scheduler.maxThreads(maxThreads))
                .failurePolicy(policy)
                .runDirectory(runDirectory)
                .stopGracePeriod(Duration.ofSeconds(2))
                .javaOptions(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"))
                .registry(WorkerRegistry.builder()
                        .register(TestWorkers.Echo.class)
                        .register(TestWorkers.Thrower.class)
                        .register(TestWorkers.Exiter.class)
                        .register(TestWorkers.SelfKiller.class)
                        .register(TestWorkers.Chatter.class)
                        .register(TestWorkers.Unserialisable.class)
                        .register(TestWorkers.Nap.class)
                        .register(TestWorkers.Summer.class)
                        .register(TestWorkers.Painter.class)
                        .build())
                .build();
        bosses.add(boss);
        return boss;
    }

    private Report runAll(List<Map<String, Object>> sets) {
        Boss boss = boss(2, FailurePolicy.KEEP_GOING);
        boss.addInstructions(sets);
        boss.makeThemWork();
        return boss.waitTillFinished();
    }

    @AfterEach
    void noLeftovers() {
        bosses.forEach(Boss::close);
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    @Test
    void aFreshWorkerJvmFillsEveryKindOfAttributeWithoutReadingAnnotations() throws IOException {
        Boss boss = Boss.builder().scheduler(Scheduler.maxThreads(2)).runDirectory(runDirectory).failurePolicy(FailurePolicy.KEEP_GOING)
                .javaOptions(List.of("-XX:TieredStopAtLevel=1", "-Xlog:class+load=info"))
                .registry(WorkerRegistry.builder().register(TestWorkers.Painter.class).register(TestWorkers.Summer.class)
                        .register(TestWorkers.SelfContaining.class).build())
                .build();
        bosses.add(boss);
        Path addends = Files.writeString(runDirectory.resolve("addends.json"), "[1.5, 2]");
        boss.addInstructions(List.of(
                Map.of("name", "aliased", "color", "GREEN", "canvas", "/tmp/linen.png"),
                Map.of("name", "renamed", "colour", "RED", "canvas", "/tmp/oak.png", "coats", 1, "primer", "grey"),
                Map.of("name", "referenced", "addends", FileReference.to(addends)),
                Map.of("name", "ouroboros", "self_containing", true)));
        boss.makeThemWork();
        Report report = boss.waitTillFinished();

        WorkerReport ouroboros = report.worker("ouroboros").orElseThrow();
        assertEquals(WorkerStatus.FAILED, ouroboros.status(), "a result no writer can take is the task's error, not a crash");
        assertEquals(ResultNotSerializableException.class.getName(), ouroboros.error().type());
        assertTrue(ouroboros.error().message().contains("contains itself"), ouroboros.error().message());
        assertEquals(3, report.counts().get("succeeded"), report.workers().toString());
        assertEquals(Map.of("shade", "GREEN", "canvas", "linen.png", "coats", 3, "name", "aliased", "primer", "none"),
                report.worker("aliased").orElseThrow().result());
        assertEquals(Map.of("shade", "RED", "canvas", "oak.png", "coats", 1, "name", "renamed", "primer", "grey"),
                report.worker("renamed").orElseThrow().result());
        assertEquals(3.5, report.worker("referenced").orElseThrow().result());
        // The JVM's class-loading log is on the worker's standard output.
        String renamed = Files.readString(Path.of(report.worker("renamed").orElseThrow().stdout()));
        assertTrue(renamed.contains(TestWorkers.Painter.class.getName() + " source:"), "no class-loading log: " + renamed);
        assertFalse(renamed.contains(AttributeSpec.class.getName() + " source:"), "the worker JVM read the footprint");
        assertFalse(renamed.contains("$Proxy"), "the worker JVM generated a proxy class (for an annotation?)");
        // A value in a file is checked against the footprint in the worker JVM: that one reads it.
        String referenced = Files.readString(Path.of(report.worker("referenced").orElseThrow().stdout()));
        assertTrue(referenced.contains(AttributeSpec.class.getName() + " source:"), "a file reference skipped the footprint");
    }

    @Test
    void javaWorkersReturnResultsAndExceptionsComeBackWhole() {
        Report report = runAll(List.of(
                Map.of("name", "ok", "message", "hello", "numbers", List.of(1, 2)),
                Map.of("name", "bad", "fail_with", "no luck")));

        WorkerReport ok = report.worker("ok").orElseThrow();
        assertEquals(WorkerStatus.SUCCEEDED, ok.status(), String.valueOf(ok.error()));
        assertEquals(Map.of("message", "hello", "ticket", 0, "numbers", List.of(1, 2)), ok.result());
        assertEquals(0, ok.exitCode());
        assertTrue(Files.exists(Path.of(ok.stdout())) && Files.exists(Path.of(ok.stderr())));
        assertNotNull(ok.startedAt());
        assertTrue(ok.durationMs() >= 0);

        WorkerReport bad = report.worker("bad").orElseThrow();
        assertEquals(WorkerStatus.FAILED, bad.status());
        assertEquals("java.lang.IllegalStateException", bad.error().type());
        assertEquals("no luck", bad.error().message());
        assertTrue(bad.error().stackTrace().contains("at org.taylorism.testing.TestWorkers$Thrower.task"), bad.error().stackTrace());
        assertTrue(bad.error().stackTrace().contains("Caused by: java.lang.ArithmeticException: root cause"), bad.error().stackTrace());

        Report fromJson = Report.fromJson(report.toJson());
        assertEquals(report.workers().size(), fromJson.workers().size());
        assertEquals(bad.error(), fromJson.worker("bad").orElseThrow().error());
        assertEquals(ok.startedAt(), fromJson.worker("ok").orElseThrow().startedAt());
    }

    @Test
    void workersThatDieWithoutAResultAreCrashedWithCodeSignalAndStderr() {
        Report report = runAll(List.of(Map.of("name", "exit3", "exit_code", 3), Map.of("name", "suicide", "kill_myself", true)));

        WorkerReport exit3 = report.worker("exit3").orElseThrow();
        assertEquals(WorkerStatus.CRASHED, exit3.status());
        assertEquals(3, exit3.exitCode());
        assertNull(exit3.signal());
        assertTrue(exit3.error().message().contains("exited with code 3 without a result"), exit3.error().message());
        assertTrue(exit3.error().message().contains("about to exit with 3"), exit3.error().message());

        WorkerReport suicide = report.worker("suicide").orElseThrow();
        assertEquals(WorkerStatus.CRASHED, suicide.status());
        assertEquals("KILL", suicide.signal());
        assertTrue(suicide.error().message().contains("killed by signal KILL"), suicide.error().message());
        assertTrue(suicide.error().message().contains("killing myself"), suicide.error().message());
    }

    @Test
    void twentyMegabytesOfStdoutGoToTheWorkersFile() throws IOException {
        Report report = runAll(List.of(Map.of("name", "chatty", "megabytes", 20)));
        WorkerReport chatty = report.worker("chatty").orElseThrow();
        assertEquals(WorkerStatus.SUCCEEDED, chatty.status(), String.valueOf(chatty.error()));
        assertEquals(20, chatty.result());
        assertEquals(20L * 1024 * 1024, Files.size(Path.of(chatty.stdout())));
    }

    @Test
    void aResultThatCannotBeSerialisedIsAFailureWithAClearReason() {
        Report report = runAll(List.of(Map.of("name", "odd", "unserialisable", true)));
        WorkerReport odd = report.worker("odd").orElseThrow();
        assertEquals(WorkerStatus.FAILED, odd.status());
        assertEquals(ResultNotSerializableException.class.getName(), odd.error().type());
        assertTrue(odd.error().message().contains("the result of worker 'odd' (a java.lang.Object) cannot be written as JSON"),
                odd.error().message());
    }

    @Test
    void commandsRunThemselvesWithSubstitutionEnvironmentAndDirectory() throws IOException {
        Path data = Files.writeString(runDirectory.resolve("data.txt"), "some data\n");
        Report report = runAll(List.of(
                Map.of("name", "cat", "command", List.of("sh", "-c", "cat [file]; echo \"$GREETING\"; pwd"),
                        "file", data.getFileName().toString(), "env", Map.of("GREETING", "hi"), "cwd", runDirectory.toString()),
                Map.of("name", "three", "command", List.of("sh", "-c", "echo oops >&2; exit 3")),
                Map.of("name", "missing", "command", List.of("/no/such/program"))));

        WorkerReport cat = report.worker("cat").orElseThrow();
        assertEquals(WorkerStatus.SUCCEEDED, cat.status(), String.valueOf(cat.error()));
        assertEquals("command", cat.worker());
        assertEquals("some data\nhi\n" + runDirectory.toRealPath() + "\n", Files.readString(Path.of(cat.stdout())));

        WorkerReport three = report.worker("three").orElseThrow();
        assertEquals(WorkerStatus.FAILED, three.status());
        assertEquals(3, three.exitCode());
        assertTrue(three.error().message().contains("exited with code 3") && three.error().message().contains("oops"),
                three.error().message());

        WorkerReport missing = report.worker("missing").orElseThrow();
        assertEquals(WorkerStatus.FAILED, missing.status());
        assertTrue(missing.error().message().contains("could not start [/no/such/program]"), missing.error().message());
    }

    @Test
    void stopRightNowKillsWholeTreesIncludingGrandchildren() {
        Boss boss = boss(2, FailurePolicy.FAIL_FAST);
        boss.setInstructions(Map.of("command", List.of("sh", "-c", "sleep 600 & sleep 600 & wait")), Map.of("name", List.of("a", "b")));
        boss.makeThemWork();
        await().until(() -> Leaks.descendants().stream().filter(p -> p.matches("\\d+ \\S*sleep 600")).count() == 4);

        boss.stopThemWorking();
        Report report = boss.waitTillFinished();

        assertEquals(WorkerStatus.KILLED, report.worker("a").orElseThrow().status());
        assertEquals(WorkerStatus.KILLED, report.worker("b").orElseThrow().status());
        boss.close(); // dismisses the program watchdog; killed trees were never its to clean up
        Leaks.assertNoChildProcesses();
    }

    @Test
    void closeKillsJavaWorkersStillRunning() {
        Boss boss = boss(1, FailurePolicy.FAIL_FAST);
        boss.setInstructions(Map.of("nap_seconds", 600), Map.of());
        boss.makeThemWork();
        // Its worker JVM, not the spawner (which starts with the launcher): the worker runs.
        await().until(() -> boss.interimReport().running().size() == 1);
        boss.close();
        Leaks.assertNoChildProcesses();
        assertEquals(WorkerStatus.KILLED, boss.getReport(false).workers().get(0).status());
    }

    @Test
    void aMalformedReferencedFileIsNamedWithItsLineAndColumn() throws IOException {
        Boss boss = Boss.builder().runDirectory(runDirectory).failurePolicy(FailurePolicy.KEEP_GOING)
                .registry(WorkerRegistry.builder().register(TestWorkers.Summer.class).build()).build();
        bosses.add(boss);
        Path broken = Files.writeString(runDirectory.resolve("broken.json"), "[1.5,\n 2,,]");
        boss.addInstructions(List.of(Map.of("name", "broken", "addends", FileReference.to(broken))));
        boss.makeThemWork();
        WorkerReport worker = boss.waitTillFinished().worker("broken").orElseThrow();
        assertEquals(WorkerStatus.FAILED, worker.status());
        assertTrue(worker.error().message().contains("the JSON file " + broken + " referred to by @file is malformed at line 2, column"),
                worker.error().message());
        assertFalse(worker.error().message().contains("REDACTED"), worker.error().message());
    }

    @Test
    void bigCommonDataIsPassedOnceAsAFileReference() throws IOException {
        Path numbers = runDirectory.resolve("numbers.json");
        Files.writeString(numbers, "[1.5, 2.5, 3]");
        Boss boss = boss(2, FailurePolicy.KEEP_GOING);
        boss.setInstructions(Map.of("addends", FileReference.to(numbers)), Map.of("name", List.of("x", "y")));
        boss.makeThemWork();
        Report report = boss.waitTillFinished();
        assertEquals(7.0, report.worker("x").orElseThrow().result());
        assertEquals(7.0, report.worker("y").orElseThrow().result());

        Boss broken = boss(1, FailurePolicy.KEEP_GOING);
        broken.setInstructions(Map.of("addends", FileReference.to(runDirectory.resolve("absent.json"))), Map.of());
        broken.makeThemWork();
        WorkerReport failed = broken.waitTillFinished().workers().get(0);
        assertEquals(WorkerStatus.FAILED, failed.status());
        assertTrue(failed.error().message().contains("absent.json"), failed.error().message());
    }

    // The original's own test scenarios, in our terms.

    @Test
    void aFailingAndASucceedingWorkerTheCallerSeesTheFailureType() {
        Boss boss = boss(2, FailurePolicy.FAIL_FAST);
        boss.addInstructions(List.of(Map.of("name", "good", "message", "fine"), Map.of("name", "evil", "fail_with", "bad")));
        boss.makeThemWork();
        WorkerFailedException failure = assertThrows(WorkerFailedException.class, boss::waitTillFinished);
        assertEquals("java.lang.IllegalStateException", failure.failure().error().type());
        assertTrue(failure.getMessage().contains("java.lang.IllegalStateException: bad"), failure.getMessage());
    }

    @Test
    void twoLongWorkersWithTheSameNameAreAnErrorThatReturnsAtOnce() {
        Boss boss = boss(2, FailurePolicy.FAIL_FAST);
        boss.setInstructions(Map.of("name", "same", "nap_seconds", 600), Map.of("message", List.of(1)));
        boss.setInstructions(Map.of("name", "same", "nap_seconds", 600), Map.of("message", List.of(2)));
        boss.makeThemWork();
        long start = System.nanoTime();
        WorkerFailedException failure = assertThrows(WorkerFailedException.class, boss::waitTillFinished);
        assertTrue(failure.getMessage().contains("already used by a running worker"), failure.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 60);
    }

    @Test
    void namesExpandedFromAnAttributeDoNotClash() {
        Report report = runAll(Instructions.expand(Map.of("name", "job_[x]", "message", "m"), Map.of("x", List.of("a", "b"))));
        assertEquals(List.of("job_a", "job_b"), report.workers().stream().map(WorkerReport::name).sorted().toList());
        assertEquals("job_a", report.worker("job_a").orElseThrow().instructions().get("name"), "the report shows the resolved name");
        assertTrue(report.isSuccess());
    }

    @Test
    void instructionsAddedAfterTheStartAllRun() {
        Boss boss = boss(2, FailurePolicy.FAIL_FAST);
        boss.setInstructions(Map.of("message", "early"), Map.of("name", List.of("e1", "e2")));
        boss.makeThemWork();
        CompletableFuture<Void> late = CompletableFuture.runAsync(
                () -> boss.setInstructions(Map.of("message", "late"), Map.of("name", List.of("l1", "l2"))),
                CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
        late.join();
        Report report = boss.waitTillFinished();
        assertEquals(List.of("e1", "e2", "l1", "l2"), report.workers().stream().map(WorkerReport::name).sorted().toList());
    }
}
