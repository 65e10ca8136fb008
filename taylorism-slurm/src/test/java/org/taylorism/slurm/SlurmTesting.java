package org.taylorism.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.taylorism.Boss;
import org.taylorism.FailurePolicy;
import org.taylorism.Report;
import org.taylorism.WorkerRegistry;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.testing.TestWorkers;

/** A Boss of the tests' workers on a Slurm launcher. */
final class SlurmTesting {

    private SlurmTesting() {
    }

    static Boss.Builder boss(WorkerLauncher launcher, Path runDirectory) {
        return Boss.builder()
                .launcher(launcher)
                .failurePolicy(FailurePolicy.KEEP_GOING)
                .runDirectory(runDirectory)
                .stopGracePeriod(Duration.ofSeconds(2))
                .javaOptions(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"))
                .registry(WorkerRegistry.builder()
                        .register(TestWorkers.Echo.class)
                        .register(TestWorkers.Thrower.class)
                        .register(TestWorkers.Nap.class)
                        .build());
    }

    /**
     * Runs a Java worker that returns, one that throws, a program that fails and one that says where it ran
     * with 2 CPUs, and checks each ends as it would locally, on one of the nodes n1 to n3.
     */
    static void assertEndAsLocally(Boss boss) throws Exception {
        boss.addInstructions(List.of(
                Map.of("name", "echo", "message", "hello"),
                Map.of("name", "thrower", "fail_with", "no luck"),
                Map.of("name", "exit-3", "command", List.of("sh", "-c", "echo bye >&2; exit 3")),
                Map.of("name", "where", "command", List.of("sh", "-c", "echo $SLURMD_NODENAME $SLURM_CPUS_PER_TASK"), "cpus", 2)));
        boss.makeThemWork();
        Report report = boss.waitTillFinished();

        WorkerReport echo = report.worker("echo").orElseThrow();
        assertEquals(WorkerStatus.SUCCEEDED, echo.status(), String.valueOf(echo.error()));
        assertEquals("hello", ((Map<?, ?>) echo.result()).get("message"));
        assertTrue(Set.of("n1", "n2", "n3").contains(echo.node()), echo.node());

        WorkerReport thrower = report.worker("thrower").orElseThrow();
        assertEquals(WorkerStatus.FAILED, thrower.status(), String.valueOf(thrower.error()));
        assertEquals("exception", thrower.cause());
        assertEquals(IllegalStateException.class.getName(), thrower.error().type());

        WorkerReport exit3 = report.worker("exit-3").orElseThrow();
        assertEquals(WorkerStatus.FAILED, exit3.status());
        assertEquals("exit_code", exit3.cause());
        assertEquals(3, exit3.exitCode());
        assertTrue(exit3.error().message().contains("bye"), exit3.error().message());

        WorkerReport where = report.worker("where").orElseThrow();
        assertEquals(WorkerStatus.SUCCEEDED, where.status(), String.valueOf(where.error()));
        assertEquals(where.node() + " 2", Files.readString(Path.of(where.stdout())).strip());
    }
}
