package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.testing.Leaks;
import org.taylorism.testing.TestWorkers;

/** A result larger than a JSON parser takes by default (20 million characters) is read whole, on either launcher. */
class BigResultTest {

    @TempDir
    Path runDirectory;

    @AfterEach
    void noLeftovers() {
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "pool"})
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aResultOfTwentyOneMillionCharactersIsReadWhole(String launcher) throws Exception {
        Boss.Builder builder = Boss.builder().runDirectory(runDirectory).scheduler(Scheduler.maxThreads(1))
                .registry(WorkerRegistry.builder().register(TestWorkers.Big.class).build());
        if (launcher.equals("pool")) {
            builder.launcher(WorkerLauncher.warmPool(1, 10));
        }
        try (Boss boss = builder.build()) {
            boss.addInstructions(List.of(Map.of("name", "big", "big_megabytes", 21)));
            boss.makeThemWork();
            WorkerReport big = boss.waitTillFinished(Duration.ofMinutes(2)).worker("big").orElseThrow();
            assertEquals(WorkerStatus.SUCCEEDED, big.status(), String.valueOf(big.error()));
            assertEquals(21_000_000, ((String) big.result()).length());
        }
    }
}
