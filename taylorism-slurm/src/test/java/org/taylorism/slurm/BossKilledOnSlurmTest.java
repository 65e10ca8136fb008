package org.taylorism.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.taylorism.testing.Awaits.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.slurm.testing.SlurmCluster;

/** A Boss JVM killed with SIGKILL leaves no step and no job behind in Slurm. */
class BossKilledOnSlurmTest {

    @TempDir
    Path runDirectory;

    private Process bossJvm;
    private String allocation;

    @BeforeEach
    void needSlurm() {
        SlurmCluster.assumeAvailable(1);
    }

    @AfterEach
    void cleanUp() {
        if (bossJvm != null) {
            bossJvm.destroyForcibly();
        }
        if (allocation != null) {
            SlurmCluster.cancel(allocation);
        }
    }

    private void startAndKillBoss(String mode, String workerName) throws Exception {
        bossJvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SlurmBossProgram.class.getName(), runDirectory.toString(), mode, workerName)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(bossJvm.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("started", output.readLine());
            bossJvm.destroyForcibly();
            bossJvm.waitFor();
        }
    }

    @Test
    void itsStepsEnd() throws Exception {
        allocation = SlurmCluster.allocate(1, 1);
        startAndKillBoss(allocation, "orphan-step");
        await().until(() -> SlurmCluster.steps(allocation).isEmpty());
    }

    @Test
    void itsJobsAreCancelled() throws Exception {
        startAndKillBoss("jobs", "orphan-job");
        await().until(() -> SlurmCluster.run("squeue", "--noheader", "--name=orphan-job", "--format=%i").isBlank());
    }
}
