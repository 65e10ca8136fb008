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
import org.junit.jupiter.params.provider.CsvSource;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.testing.Leaks;
import org.taylorism.testing.TestWorkers;

/** A result larger than a JSON parser takes by default (20 million characters) is read whole, on either launcher, in a small heap too. */
class BigResultTest {

    @TempDir
    Path runDirectory;

    @AfterEach
    void noLeftovers() {
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    @ParameterizedTest
    @CsvSource({"local, ''", "pool, ''", "pool, -Xmx128m"})
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aResultOfMoreThanTwentyMillionCharactersIsReadWhole(String launcher, String heap) throws Exception {
        // A pooled JVM whose heap the user limited keeps the JVM's own collector, in which such a result still fits.
        Boss.Builder builder = Boss.builder().runDirectory(runDirectory).scheduler(Scheduler.maxThreads(1))
                .javaOptions(heap.isEmpty() ? List.of() : List.of(heap))
                .registry(WorkerRegistry.builder().register(TestWorkers.Big.class).build());
        if (launcher.equals("pool")) {
            builder.launcher(WorkerLauncher.warmPool(1, 10));
        }
        try (Boss boss = builder.build()) {
            // 25 in the limited heap: the serial collector, which needs each big object in one piece, could not hold it.
            int megabytes = heap.isEmpty() ? 21 : 25;
            boss.addInstructions(List.of(Map.of("name", "big", "big_megabytes", megabytes)));
            boss.makeThemWork();
            WorkerReport big = boss.waitTillFinished(Duration.ofMinutes(2)).worker("big").orElseThrow();
            assertEquals(WorkerStatus.SUCCEEDED, big.status(), String.valueOf(big.error()));
            assertEquals(megabytes * 1_000_000, ((String) big.result()).length());
        }
    }
}
