package org.taylorism.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taylorism.testing.Awaits.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Boss;
import org.taylorism.FailurePolicy;
import org.taylorism.InstructionsException;
import org.taylorism.PendingTask;
import org.taylorism.Report;
import org.taylorism.Scheduler;
import org.taylorism.Task;
import org.taylorism.WorkerRegistry;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.testing.Leaks;
import org.taylorism.testing.RecordingLauncher;
import org.taylorism.testing.TestWorkers;

/** Every scheduling rule, through a real Boss and a recording launcher: no processes, no sleeps. */
class SchedulersTest {
    /** The Bosses' run directories: a test leaves nothing in the system's temporary directory. */
    @TempDir
    Path runs;

    private final RecordingLauncher launcher = new RecordingLauncher();
    private final List<Boss> bosses = new ArrayList<>();

    private Boss start(Scheduler scheduler, List<Map<String, Object>> sets) {
        Boss boss = Boss.builder().runDirectory(runs.resolve("boss-" + bosses.size())).scheduler(scheduler).launcher(launcher).failurePolicy(FailurePolicy.KEEP_GOING)
                .registry(WorkerRegistry.builder().register(TestWorkers.Echo.class).build()).build();
        bosses.add(boss);
        boss.addInstructions(sets);
        boss.makeThemWork();
        return boss;
    }

    /** An Echo set named {@code name} with extra attributes given as key, value, key, value... */
    private static Map<String, Object> set(String name, Object... keyValues) {
        return TestWorkers.echoSet(name, keyValues);
    }

    private static MemoryPolicy budget(long maxMb) {
        return new MemoryPolicy(maxMb, 2048, false, 0, 10);
    }

    private String reason(Boss boss, String name) {
        return boss.getReport(true).pending().stream().filter(p -> p.name().equals(name)).findFirst()
                .map(PendingTask::reason).orElseThrow(() -> new AssertionError(name + " is not pending"));
    }

    /** Waits until the Boss has handled everything sent so far (a report request queues behind it all). */
    private static Report settled(Boss boss) {
        return boss.getReport(true);
    }

    @AfterEach
    void closeAll() {
        bosses.forEach(Boss::close);
        Leaks.assertNoBossThreads();
    }

    @Test
    void laxistLaunchesEverythingAtOnce() {
        start(Schedulers.laxist(), List.of(set("a"), set("b"), set("c")));
        await().until(() -> launcher.launchedNames().size() == 3);
        assertEquals(List.of(0, 1, 2), launcher.launchedNames().stream().map(n -> launcher.spec(n).ticket()).toList());
    }

    @Test
    void maxMemoryLaunchesFirstFitAndRejectsWhatCanNeverFit() {
        Boss boss = start(Schedulers.maxMemory(budget(1000)), List.of(
                set("m600", "memory", 600), set("m500", "memory", 500), set("m300", "memory", 300),
                set("none"), set("m99", "memory", 99)));
        Report report = settled(boss);

        launcher.assertLaunched("m600", "m300", "m99");
        WorkerReport none = report.worker("none").orElseThrow();
        assertEquals(WorkerStatus.FAILED, none.status());
        assertTrue(none.error().message().contains("needs 2048 MiB, more than the 1000 MiB memory budget: it can never run"),
                none.error().message());
        assertEquals("needs 500 MiB, 1 MiB free of 1000 declared", reason(boss, "m500"));

        launcher.succeed("m600", null);
        await().until(() -> launcher.launchedNames().contains("m500"));
    }

    @Test
    void longerFirstTakesTheLongestThatFitWithinThreadsAndMemory() {
        Boss boss = start(Schedulers.longerFirst(2, budget(1000)), List.of(
                set("short", "expected_time", 1, "memory", 100),
                set("instant", "expected_time", 0, "memory", 10),
                set("medium", "expected_time", 5, "memory", 200),
                set("long", "expected_time", 10, "memory", 900)));
        settled(boss);
        launcher.assertLaunched("long", "short");
        assertEquals("2/2 threads busy", reason(boss, "medium"));

        launcher.succeed("long", null);
        await().until(() -> launcher.launchedNames().size() == 3);
        launcher.assertLaunched("long", "short", "medium");
        launcher.succeed("short", null);
        await().until(() -> launcher.launchedNames().size() == 4);
        launcher.assertLaunched("long", "short", "medium", "instant");
    }

    @Test
    void freedTicketsAreReusedLowestFirst() {
        Boss boss = start(Schedulers.maxMemory(budget(300)), List.of(
                set("a", "memory", 100), set("b", "memory", 100), set("c", "memory", 100),
                set("d", "memory", 100), set("e", "memory", 100)));
        settled(boss);
        launcher.assertLaunched("a", "b", "c");
        launcher.succeed("c", null);
        launcher.succeed("a", null);
        await().until(() -> launcher.launchedNames().size() == 5);
        assertEquals(Set.of(0, 2), Set.of(launcher.spec("d").ticket(), launcher.spec("e").ticket()));
    }

    @Test
    void singleOpenFileNeverLetsTwoRunningWorkersShareAFileEvenWhenLaunchedTogether() {
        Boss boss = start(Schedulers.singleOpenFile(4), List.of(
                set("s1", "fileA", "x"), set("s2", "fileA", "x"), set("s3", "fileB", "x"), set("s4", "fileA", "y", "fileB", "z")));
        settled(boss);
        launcher.assertLaunched("s1", "s4");
        assertEquals("fileA=x held by s1", reason(boss, "s2"));
        assertEquals("fileB=x held by s1", reason(boss, "s3"));

        launcher.succeed("s1", null);
        await().until(() -> launcher.launchedNames().size() == 3);
        launcher.assertLaunched("s1", "s4", "s2");
    }

    @Test
    void exclusiveGeneralisesToAnyAttributes() {
        Boss boss = start(Schedulers.exclusive(0, List.of("input", "device")), List.of(
                set("a", "input", "/data/1"), set("b", "input", "/data/1"), set("c", "device", "/data/1"), set("d", "input", "/data/2")));
        settled(boss);
        launcher.assertLaunched("a", "d");
    }

    @Test
    void namedResourcesAreHeldFromLaunchToEndWithAnyScheduler() {
        Boss boss = start(Schedulers.withResources(Schedulers.laxist(), Map.of("licence", 3)), List.of(
                set("w1", "resources", Map.of("licence", 1)), set("w2", "resources", Map.of("licence", 2)),
                set("w3", "resources", Map.of("licence", 1)), set("free"), set("w4", "resources", Map.of("licence", 1))));
        settled(boss);
        launcher.assertLaunched("w1", "w2", "free");
        assertEquals("licence 3/3 held by w1, w2", reason(boss, "w3"));

        launcher.succeed("w1", null);
        await().until(() -> launcher.launchedNames().size() == 4);
        launcher.assertLaunched("w1", "w2", "free", "w3");
    }

    @Test
    void resourcesThatCanNeverBeHadAreRejectedAtOnce() {
        Boss boss = start(Schedulers.withResources(Schedulers.maxThreads(2), Map.of("gpu", 1)), List.of(
                set("greedy", "resources", Map.of("gpu", 2)), set("lost", "resources", Map.of("fpga", 1)), set("fine")));
        Report report = settled(boss);
        launcher.assertLaunched("fine");
        assertTrue(report.worker("greedy").orElseThrow().error().message().contains("needs 2 gpu, more than its capacity of 1"));
        assertTrue(report.worker("lost").orElseThrow().error().message().contains("needs resource 'fpga', which is not defined"));
    }

    @Test
    void aSchedulerThatWalksThePendingSetsTwiceDoesNotRejectASetTwice() {
        Scheduler twoPasses = round -> {
            round.pending().forEach(task -> { });
            for (Task task : round.pending()) {
                round.launch(task);
            }
        };
        Boss boss = start(Schedulers.withResources(twoPasses, Map.of("licence", 1)), List.of(
                set("never", "resources", Map.of("gpu", 1)), set("ok", "resources", Map.of("licence", 1))));
        Report report = settled(boss);
        launcher.assertLaunched("ok");
        assertEquals(WorkerStatus.FAILED, report.worker("never").orElseThrow().status());
        assertEquals(org.taylorism.RunStatus.INTERIM, report.status(), "the run goes on");
    }

    @Test
    void resourcesDeclineLaunchesASnapshottingSchedulerPicked() {
        Boss boss = start(Schedulers.withResources(Schedulers.longerFirst(4, budget(100_000)), Map.of("gpu", 1)), List.of(
                set("a", "resources", Map.of("gpu", 1), "expected_time", 1),
                set("b", "resources", Map.of("gpu", 1), "expected_time", 5),
                set("c", "expected_time", 2)));
        settled(boss);
        launcher.assertLaunched("b", "c");
        assertEquals("gpu 1/1 held by b", reason(boss, "a"));
    }

    @Test
    void aBigSetIsNotStarvedByEndlessSmallerOnes() {
        List<Map<String, Object>> sets = new ArrayList<>();
        sets.add(set("small-running", "memory", 600));
        sets.add(set("big", "memory", 600));
        for (int i = 1; i <= 5; i++) {
            sets.add(set("c" + i, "memory", 100));
        }
        Boss boss = start(Schedulers.maxMemory(budget(1000).withMaxOvertakes(2)), sets);
        settled(boss);
        launcher.assertLaunched("small-running", "c1", "c2");
        assertEquals("waits behind big, overtaken 2 times", reason(boss, "c3"));

        launcher.succeed("c1", null);
        await().during(Duration.ofMillis(100)).until(() -> launcher.launchedNames().size() == 3);

        launcher.succeed("small-running", null);
        await().until(() -> launcher.launchedNames().contains("big"));
        await().until(() -> launcher.launchedNames().size() == 7);
        launcher.assertLaunched("small-running", "c1", "c2", "big", "c3", "c4", "c5");
    }

    @Test
    void liveHeadroomAlsoRequiresTheMemoryToBeAvailableNow() {
        AtomicLong available = new AtomicLong(1000);
        Scheduler scheduler = Schedulers.maxMemory(new MemoryPolicy(10_000, 2048, false, 0, 10).withLiveHeadroom(100), available::get);
        Boss boss = start(scheduler, List.of(set("first", "memory", 600), set("second", "memory", 600)));
        settled(boss);
        launcher.assertLaunched("first");
        assertEquals("needs 600 MiB, 300 MiB available now (MemAvailable 1000 MiB less a 100 MiB margin"
                + " and 600 MiB of workers started in the last 10 s)", reason(boss, "second"));

        available.set(5000); // memory freed outside taylorism: no event, the scheduler re-checks by itself
        await().until(() -> launcher.launchedNames().size() == 2);
    }

    @Test
    void delayedSetsWaitUntilTheirTime() {
        Boss boss = start(Schedulers.laxist(), List.of(set("later", "not_before", 0.3), set("now"), set("past", "not_before", "2000-01-01T00:00:00Z")));
        Report report = settled(boss);
        launcher.assertLaunched("now", "past");
        assertTrue(report.pending().get(0).reason().startsWith("not before "), report.pending().toString());

        await().atMost(Duration.ofSeconds(5)).until(() -> launcher.launchedNames().contains("later"));

        Boss bad = Boss.builder().runDirectory(runs.resolve("boss-" + bosses.size())).launcher(launcher).registry(WorkerRegistry.builder().register(TestWorkers.Echo.class).build()).build();
        bosses.add(bad);
        InstructionsException error = assertThrows(InstructionsException.class, () -> bad.addInstructions(List.of(set("x", "not_before", "soonish"))));
        assertTrue(error.getMessage().contains("not_before: 'soonish' is neither a number of seconds nor an ISO time"), error.getMessage());
    }

    @Test
    void endWaitsForDelayedSetsAndStopListsThem() {
        Boss boss = start(Schedulers.laxist(), List.of(set("later", "not_before", 3600)));
        boss.send(org.taylorism.Signal.STOP);
        Report report = boss.waitTillFinished();
        assertEquals(List.of("later"), report.pending().stream().map(PendingTask::name).toList());
    }

    @Test
    void bindingPinsEachTicketToTheSocketPackedCpus(@TempDir Path sys) throws IOException {
        // Two sockets, two cores each, two threads per core, siblings numbered next to each other.
        int[][] socketAndCore = {{0, 0}, {0, 0}, {0, 1}, {0, 1}, {1, 0}, {1, 0}, {1, 1}, {1, 1}};
        for (int cpu = 0; cpu < socketAndCore.length; cpu++) {
            Path topology = Files.createDirectories(sys.resolve("cpu" + cpu).resolve("topology"));
            Files.writeString(topology.resolve("physical_package_id"), socketAndCore[cpu][0] + "\n");
            Files.writeString(topology.resolve("core_id"), socketAndCore[cpu][1] + "\n");
        }
        List<Integer> order = CpuTopology.socketPacked(sys, null);
        assertEquals(List.of(0, 2, 4, 6, 1, 3, 5, 7), order);
        assertEquals(List.of(2, 4, 3), CpuTopology.socketPacked(sys, CpuTopology.parseList("2-4")));

        start(Schedulers.withCpuBinding(Schedulers.maxThreads(2), order), List.of(set("a"), set("b"), set("c")));
        await().until(() -> launcher.launchedNames().size() == 2);
        launcher.succeed("a", null);
        await().until(() -> launcher.launchedNames().size() == 3);
        Map<String, List<Integer>> cpus = new HashMap<>();
        launcher.launchedNames().forEach(name -> cpus.put(name, launcher.spec(name).cpus()));
        assertEquals(Map.of("a", List.of(0), "b", List.of(2), "c", List.of(0)), cpus);
    }
}
