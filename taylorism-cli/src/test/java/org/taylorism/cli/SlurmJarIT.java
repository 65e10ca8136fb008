package org.taylorism.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Report;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.slurm.testing.SlurmCluster;

/** The sleepers example over a real Slurm, through the shaded jar, as the README shows it. */
class SlurmJarIT {

    private static final Path SLEEPERS = Path.of("..", "examples", "sleepers.json").toAbsolutePath().normalize();
    private static final Set<String> NODES = Set.of("n1", "n2", "n3");

    @TempDir
    Path directory;

    private Process taylorism;

    @AfterEach
    void cleanUp() {
        if (taylorism != null) {
            taylorism.destroyForcibly();
        }
    }

    private int run(List<String> prefix, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", System.getProperty("taylorism.jar")));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectOutput(directory.resolve("stdout").toFile())
                .redirectError(directory.resolve("stderr").toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("SLURM_"));
        builder.environment().putAll(environment);
        taylorism = builder.start();
        assertTrue(taylorism.waitFor(120, TimeUnit.SECONDS), "the run did not end in 2 minutes");
        return taylorism.exitValue();
    }

    private String stderr() throws IOException {
        return Files.readString(directory.resolve("stderr"));
    }

    private void assertSleepersRanOnTheNodes(int exitCode) throws IOException {
        assertEquals(0, exitCode, stderr());
        Report report = Report.fromJson(Files.readString(directory.resolve("stdout")));
        assertEquals(4, report.workers().size());
        for (WorkerReport worker : report.workers()) {
            assertEquals(WorkerStatus.SUCCEEDED, worker.status(), String.valueOf(worker.error()));
            assertTrue(NODES.contains(worker.node()), worker.name() + " ran on " + worker.node());
            assertTrue(Files.readString(Path.of(worker.stdout())).contains("Hello !"), worker.stdout());
        }
    }

    @Test
    void insideAnAllocationWorkersAreJobSteps() throws Exception {
        SlurmCluster.assumeAvailable(3);
        int exitCode = run(List.of("salloc", "--immediate=20", "--nodes=3", "--ntasks=6"), Map.of(),
                "run", "--report", "-", "--launcher", "slurm", "--workdir", directory.resolve("run").toString(),
                "--classpath", System.getProperty("examples.jar"), SLEEPERS.toString());
        assertSleepersRanOnTheNodes(exitCode);
        assertTrue(stderr().contains("job steps of Slurm allocation"), stderr());
    }

    @Test
    void fromALoginNodeWorkersAreBatchJobs() throws Exception {
        SlurmCluster.assumeAvailable(3);
        int exitCode = run(List.of(), Map.of(), "run", "--report", "-", "--launcher", "slurm", "--launcher-option", "poll=0.2",
                "--workdir", directory.resolve("run").toString(), "--classpath", System.getProperty("examples.jar"), SLEEPERS.toString());
        assertSleepersRanOnTheNodes(exitCode);
        assertTrue(stderr().contains("Slurm batch jobs"), stderr());
    }

    @Test
    void aControllerThatDoesNotAnswerStopsTheRunAtOnceWithExitCode4() throws Exception {
        SlurmCluster.assumeAvailable(1);
        Path badConfig = directory.resolve("slurm.conf");
        Files.writeString(badConfig, Files.readString(Path.of("/etc/slurm/slurm.conf")).replace("SlurmctldPort=6817", "SlurmctldPort=6999"));
        int exitCode = run(List.of(), Map.of("SLURM_CONF", badConfig.toString()), "run", "--launcher", "slurm",
                "--classpath", System.getProperty("examples.jar"), SLEEPERS.toString());
        assertEquals(4, exitCode, stderr());
        assertTrue(stderr().contains("taylorism: launcher slurm: the Slurm controller does not answer: `scontrol ping` failed with"
                + " exit code 1: Slurmctld(primary) at"), stderr());
        assertTrue(stderr().contains("is DOWN"), stderr());
    }

    @Test
    void withoutSlurmTheRunStopsAtOnceWithExitCode4() throws Exception {
        int exitCode = run(List.of(), Map.of("PATH", directory.toString()), "run", "--launcher", "slurm",
                "--classpath", System.getProperty("examples.jar"), SLEEPERS.toString());
        assertEquals(4, exitCode, stderr());
        assertTrue(stderr().contains("taylorism: launcher slurm: Slurm's commands [srun, sbatch, squeue, scancel, scontrol]"
                + " are not on the PATH (" + directory + ")"), stderr());
    }
}
