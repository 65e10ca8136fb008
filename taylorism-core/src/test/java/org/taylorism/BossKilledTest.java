package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taylorism.testing.Awaits.await;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.testing.BossProgram;
import org.taylorism.testing.Leaks;

/** No worker outlives its Boss, even a Boss JVM killed with SIGKILL (which runs no shutdown hook). */
class BossKilledTest {

    @TempDir
    Path runDirectory;

    private Process bossJvm;

    @AfterEach
    void cleanUp() {
        if (bossJvm != null) {
            bossJvm.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            bossJvm.destroyForcibly();
        }
        Leaks.assertNoChildProcesses();
    }

    @Test
    void javaWorkersExitWhenTheirBossJvmIsKilled() throws IOException {
        bossJvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BossProgram.class.getName(), runDirectory.toString())
                .redirectErrorStream(true)
                .redirectOutput(runDirectory.resolve("boss.log").toFile())
                .start();
        await().until(() -> bossJvm.toHandle().children().findAny().isPresent());
        ProcessHandle worker = bossJvm.toHandle().children().findFirst().orElseThrow();
        assertTrue(worker.info().commandLine().orElse("").contains(WorkerMain.class.getName()));

        bossJvm.destroyForcibly();

        await().until(() -> !worker.isAlive());
    }
}
