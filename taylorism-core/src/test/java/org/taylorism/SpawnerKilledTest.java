package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.taylorism.testing.Awaits.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.testing.Leaks;
import org.taylorism.testing.Spawners;

/**
 * A worker that kills the spawner (native or perl) that started it ({@code kill -9 $PPID}) breaks nothing: the workers that
 * spawner ran are still watched and reported with their own exit codes, and another spawner starts the next ones.
 */
class SpawnerKilledTest {

    @TempDir
    Path directory;

    @AfterEach
    void noLeftovers() {
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    /** A Boss that starts its commands with {@code spawner} ("auto", "perl"), {@code slots} at a time. */
    private Boss boss(String spawner, int slots) {
        return Boss.builder().launcher(Spawners.localWith(spawner)).scheduler(Scheduler.maxThreads(slots)).haltPolicy(HaltPolicy.KEEP_GOING)
                .runDirectory(directory.resolve("run")).registry(WorkerRegistry.builder().build()).build();
    }

    /** A program that waits for the file {@code go}, then exits with {@code code}. */
    private Map<String, Object> waitsThenExits(String name, int code) {
        return Map.of("name", name, "command", List.of("sh", "-c",
                "while [ ! -e " + directory.resolve("go") + " ]; do sleep 0.05; done; exit " + code));
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "perl"})
    void theWorkersOfAKilledSpawnerAreStillReportedAndAnotherStartsTheNextOnes(String spawner) throws Exception {
        try (Boss boss = boss(spawner, 3)) {
            boss.addInstructions(List.of(waitsThenExits("healthy", 0), waitsThenExits("exits-5", 5)));
            boss.makeThemWork();
            await().until(() -> boss.interimReport().running().size() == 2);
            // Not in its first instants: a worker that kills its spawner before the spawner told its keeper about it (a
            // few microseconds after its start) is taken for one never begun, and started again.
            boss.addInstructions(List.of(Map.of("name", "killer", "command", List.of("sh", "-c", "sleep 0.2; kill -9 $PPID"))));
            await().until(() -> boss.interimReport().worker("killer").isPresent());

            Files.createFile(directory.resolve("go"));
            boss.addInstructions(List.of(Map.of("name", "after", "command", List.of("sh", "-c", "echo started anew"))));
            boss.end();
            Report report = boss.waitTillFinished(Duration.ofMinutes(2));

            assertEquals(WorkerStatus.SUCCEEDED, report.worker("healthy").orElseThrow().status(), report.toJson());
            WorkerReport failed = report.worker("exits-5").orElseThrow();
            assertEquals(WorkerStatus.FAILED, failed.status());
            assertEquals(5, failed.exitCode(), "its own exit code, reported by the killed spawner's keeper");
            assertEquals(WorkerStatus.SUCCEEDED, report.worker("killer").orElseThrow().status());
            WorkerReport after = report.worker("after").orElseThrow();
            assertEquals(WorkerStatus.SUCCEEDED, after.status(), String.valueOf(after.error()));
            assertEquals("started anew", Files.readString(Path.of(after.stdout())).strip());
        }
    }

    @ParameterizedTest
    @CsvSource({"auto, false", "auto, true", "perl, false", "perl, true"})
    void theStartsAskedOfASpawnerThatWasKilledBeforeItBeganThemRunElsewhere(String spawner, boolean keeperHoldsAWorker) throws Exception {
        // One round asks for all of them at once: the killer first, then starts that the spawner has read and not begun,
        // or that are still in its pipe, when the killer's "kill -9 $PPID" comes. A keeper that holds a worker stays,
        // and refuses what is in the pipe; one that holds none leaves at once.
        List<Map<String, Object>> sets = new ArrayList<>();
        sets.add(Map.of("name", "killer", "command", List.of("sh", "-c", "kill -9 $PPID")));
        for (int i = 0; i < 30; i++) {
            sets.add(Map.of("name", "neighbour" + i, "command", List.of("sh", "-c", "echo " + i)));
        }
        try (Boss boss = boss(spawner, sets.size() + 1)) {
            boss.makeThemWork();
            if (keeperHoldsAWorker) {
                boss.addInstructions(List.of(waitsThenExits("held", 0)));
                await().until(() -> boss.interimReport().running().size() == 1);
            }
            boss.addInstructions(sets);
            await().until(() -> {
                Report interim = boss.interimReport();
                return sets.stream().allMatch(set -> interim.worker((String) set.get("name")).isPresent());
            });
            Files.createFile(directory.resolve("go"));
            boss.end();
            Report report = boss.waitTillFinished(Duration.ofMinutes(2));

            assertEquals(WorkerStatus.SUCCEEDED, report.worker("killer").orElseThrow().status(), report.toJson());
            for (int i = 0; i < 30; i++) {
                WorkerReport neighbour = report.worker("neighbour" + i).orElseThrow();
                assertEquals(WorkerStatus.SUCCEEDED, neighbour.status(), neighbour.name() + ": " + neighbour.error());
                assertEquals(Integer.toString(i), Files.readString(Path.of(neighbour.stdout())).strip(), "ran once, with its own output");
            }
            if (keeperHoldsAWorker) {
                assertEquals(WorkerStatus.SUCCEEDED, report.worker("held").orElseThrow().status());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "perl"})
    void whatAWorkerOfAKilledSpawnerLeavesBehindIsStoppedAtItsEndAsItsSpawnerWouldHave(String spawner) throws Exception {
        Path daemonPid = directory.resolve("daemon.pid");
        try (Boss boss = boss(spawner, 2)) {
            // Once the spawner is gone, it starts a daemon in a session of its own, and ends. The daemon writes its own pid:
            // setsid forks when it leads its process group, and $! may then name a process that ended at once.
            boss.addInstructions(List.of(Map.of("name", "leaver", "command", List.of("sh", "-c", "while [ ! -e "
                    + directory.resolve("go") + " ]; do sleep 0.05; done; setsid sh -c 'echo $$ > " + daemonPid + "; exec sleep 600' &"
                    + " while [ ! -s " + daemonPid + " ]; do sleep 0.05; done; exit 0"))));
            boss.makeThemWork();
            await().until(() -> boss.interimReport().running().size() == 1);
            boss.addInstructions(List.of(Map.of("name", "killer", "command", List.of("sh", "-c", "sleep 0.2; kill -9 $PPID"))));
            await().until(() -> boss.interimReport().worker("killer").isPresent());

            Files.createFile(directory.resolve("go"));
            await().until(() -> boss.interimReport().worker("leaver").isPresent());
            WorkerReport leaver = boss.interimReport().worker("leaver").orElseThrow();
            assertEquals(WorkerStatus.SUCCEEDED, leaver.status(), String.valueOf(leaver.error()));
            assertEquals(1, leaver.leftBehind(), "the keeper counts what it left");
            long daemon = Long.parseLong(Files.readString(daemonPid).strip());
            await().until(() -> ProcessHandle.of(daemon).map(process -> !process.isAlive()).orElse(true));
            assertEquals(RunStatus.INTERIM, boss.interimReport().status(), "stopped at the worker's end, while the Boss runs on");
        }
    }

    /**
     * A keeper that holds a worker stays until that worker ends: what a worker that ended before the spawner's death
     * left, deaf to the SIGTERM the spawner sent it, is killed by the keeper meanwhile, after a grace, as the spawner
     * would have.
     */
    @ParameterizedTest
    @ValueSource(strings = {"auto", "perl"})
    void whatAWorkerLeftBeforeItsSpawnerWasKilledIsStoppedByTheKeeperAfterItsGrace(String spawner) throws Exception {
        Path daemonPid = directory.resolve("daemon.pid");
        try (Boss boss = boss(spawner, 3)) {
            boss.addInstructions(List.of(waitsThenExits("held", 0)));
            boss.makeThemWork();
            await().until(() -> boss.interimReport().running().size() == 1);
            // A daemon deaf to SIGTERM: at the worker's end its spawner sends it SIGTERM, and would send SIGKILL 5 s later.
            boss.addInstructions(List.of(Map.of("name", "leaver", "command", List.of("sh", "-c",
                    "setsid sh -c 'trap \"\" TERM; echo $$ > " + daemonPid + "; exec sleep 600' & while [ ! -s " + daemonPid
                    + " ]; do sleep 0.05; done; exit 0"))));
            await().until(() -> boss.interimReport().worker("leaver").isPresent());
            assertEquals(1, boss.interimReport().worker("leaver").orElseThrow().leftBehind());
            // Within those 5 s, a worker kills the spawner.
            boss.addInstructions(List.of(Map.of("name", "killer", "command", List.of("sh", "-c", "sleep 0.2; kill -9 $PPID"))));
            await().until(() -> boss.interimReport().worker("killer").isPresent());

            long daemon = Long.parseLong(Files.readString(daemonPid).strip());
            // A machine too slow to kill the spawner within the daemon's 5 s (or to look within the keeper's) has it killed
            // already: there is nothing left to check then.
            assumeTrue(ProcessHandle.of(daemon).isPresent(), "the daemon was killed before the spawner was");
            await().until(() -> ProcessHandle.of(daemon).map(process -> !process.isAlive()).orElse(true));
            assertEquals(List.of("held"), boss.interimReport().runningNames(),
                    "stopped by the keeper, which still holds a worker");
            Files.createFile(directory.resolve("go"));
            boss.end();
            assertEquals(WorkerStatus.SUCCEEDED, boss.waitTillFinished(Duration.ofMinutes(2)).worker("held").orElseThrow().status());
        }
    }
}
