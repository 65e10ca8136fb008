package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.testing.Leaks;
import org.taylorism.testing.TestWorkers;

/**
 * A worker that leaves a named pipe or a link to a device where its result should be cannot stall the Boss: the
 * file is not opened, the worker is reported with why, and the others' results are kept.
 */
class ResultFileTricksTest {

    @TempDir
    Path runDirectory;

    @AfterEach
    void noLeftovers() {
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aFifoOrALinkForAResultIsNamedAndNeverOpened() throws Exception {
        try (Boss boss = Boss.builder().runDirectory(runDirectory).haltPolicy(HaltPolicy.KEEP_GOING)
                .registry(WorkerRegistry.builder().register(TestWorkers.Trickster.class).register(TestWorkers.Echo.class).build())
                .build()) {
            boss.addInstructions(List.of(Map.of("name", "fifo", "trick", "fifo"), Map.of("name", "link", "trick", "link"),
                    Map.of("name", "honest", "message", "kept")));
            boss.makeThemWork();
            Report report = boss.waitTillFinished(Duration.ofMinutes(2));
            WorkerReport fifo = report.worker("fifo").orElseThrow();
            assertEquals("result_unreadable", fifo.cause(), String.valueOf(fifo.error()));
            assertTrue(fifo.error().message().contains("fifo.result.json is not a regular file"), fifo.error().message());
            WorkerReport link = report.worker("link").orElseThrow();
            assertEquals("result_unreadable", link.cause(), String.valueOf(link.error()));
            assertTrue(link.error().message().contains("link.result.json is a symbolic link"), link.error().message());
            assertEquals(WorkerStatus.SUCCEEDED, report.worker("honest").orElseThrow().status());
        }
    }
}
