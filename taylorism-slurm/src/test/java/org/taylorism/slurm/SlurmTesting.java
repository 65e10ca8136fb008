package org.taylorism.slurm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.taylorism.Boss;
import org.taylorism.FailurePolicy;
import org.taylorism.WorkerRegistry;
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
}
