package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.taylorism.testing.Awaits.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.taylorism.testing.BossProgram;
import org.taylorism.testing.Leaks;

/** No worker outlives its Boss JVM: not on a normal exit, not when it is killed with SIGKILL. */
class BossKilledTest {

    @TempDir
    Path runDirectory;

    private Process bossJvm;
    private List<ProcessHandle> workerTrees = List.of();

    @AfterEach
    void cleanUp() {
        workerTrees.forEach(ProcessHandle::destroyForcibly);
        if (bossJvm != null) {
            bossJvm.destroyForcibly();
        }
        Leaks.assertNoChildProcesses();
    }

    /**
     * How long the workers may outlive a SIGKILLed Boss JVM. The spawner or the bash watchdog sends SIGTERM first
     * and gives up to 5 s before SIGKILL (a worker JVM whose task returned writes its result); without the
     * spawner, the watchdog walks each process tree with ps before that, and a worker JVM may still be starting:
     * on a loaded 2-core machine that once took more than 2 s, and once all of 10 s. A bound, not a speed target:
     * a leak never ends.
     */
    private static final Duration DEATH_WITHIN = Duration.ofSeconds(30);

    private void startBoss(String mode) throws IOException {
        startBoss(mode, "auto");
    }

    private void startBoss(String mode, String spawner) throws IOException {
        bossJvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dtaylorism.spawner=" + spawner, "-cp", System.getProperty("java.class.path"), BossProgram.class.getName(), runDirectory.toString(), mode)
                .redirectErrorStream(true)
                .redirectOutput(runDirectory.resolve("boss.log").toFile())
                .start();
    }

    /** The worker JVM, the shell and its sleep: everything the Boss started but its spawner or watchdog. */
    private List<ProcessHandle> workers() {
        return bossJvm.toHandle().descendants()
                .filter(p -> p.info().commandLine().map(c -> !c.contains("declare -A live") && !c.contains("taylorism-spawner")
                        && !c.contains("--train")).orElse(true))
                .toList();
    }

    /** With the spawner, and with the JDK's launch and its watchdog (WorkerJvmStdinTest checks the worker's own watch). */
    @ParameterizedTest
    @ValueSource(strings = {"auto", "false"})
    void javaWorkersAndProgramsWithTheirChildrenDieWhenTheBossJvmIsKilled(String spawner) throws IOException {
        startBoss("wait", spawner);
        await().until(() -> workers().size() == 3);
        workerTrees = workers();

        bossJvm.destroyForcibly();

        await().atMost(DEATH_WITHIN).alias("leftovers: " + workerTrees.stream().map(BossKilledTest::describe).toList())
                .until(() -> workerTrees.stream().noneMatch(Leaks::isRunning));
    }

    @Test
    void evenAPausedJavaWorkerDiesWithItsBossJvm() throws IOException {
        startBoss("pause");
        await().until(() -> workers().size() == 3 && workers().stream().anyMatch(BossKilledTest::isStopped));
        workerTrees = workers();

        bossJvm.destroyForcibly();

        await().atMost(DEATH_WITHIN).alias("leftovers: " + workerTrees.stream().map(BossKilledTest::describe).toList())
                .until(() -> workerTrees.stream().noneMatch(Leaks::isRunning));
    }

    private static String describe(ProcessHandle process) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat")).strip();
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            String parent = fields[1];
            String parentState = "?";
            try {
                parentState = java.nio.file.Files.readString(Path.of("/proc", parent, "stat")).split(" ")[2]
                        + " wchan=" + java.nio.file.Files.readString(Path.of("/proc", parent, "wchan"))
                        + " " + java.nio.file.Files.readString(Path.of("/proc", parent, "cmdline")).replace('\0', ' ');
            } catch (IOException | RuntimeException e) {
                parentState = "gone";
            }
            return process.pid() + " " + process.info().command().orElse("?") + " state " + fields[0] + " parent " + parent + " (" + parentState + ")";
        } catch (IOException | RuntimeException gone) {
            return process.pid() + " gone";
        }
    }

    private static boolean isStopped(ProcessHandle process) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'T';
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    @Test
    void aNormalExitOfTheBossJvmKillsItsWorkers() throws Exception {
        startBoss("exit");
        await().until(() -> workers().size() == 3);
        workerTrees = workers();

        bossJvm.getOutputStream().write("go\n".getBytes());
        bossJvm.getOutputStream().flush();
        assertEquals(0, bossJvm.waitFor());
        await().until(() -> workerTrees.stream().noneMatch(Leaks::isRunning));
    }
}
