package org.taylorism.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.taylorism.Boss;
import org.taylorism.Report;
import org.taylorism.RunStatus;
import org.taylorism.Scheduler;
import org.taylorism.Taylorism;
import org.taylorism.WorkerReport;
import org.taylorism.testing.Leaks;

/** The README's tour, compiled and run, so it stays true. */
class ReadmeExamplesTest {

    @AfterEach
    void noLeftovers() throws IOException {
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
        // These entry points keep the workers' files in a new temporary directory, for their user to read.
        for (Path directory : runDirectories) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private final List<Path> runDirectories = new ArrayList<>();

    @Test
    void batchMainRunsToTheEndAndPrintsOneBlockPerWorker() {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Report report;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            report = Taylorism.batchMain(
                    Map.of("wakeup_sentence", "Hi"),
                    Map.of("sleeping_time", List.of(0.2, 0.1), "name", List.of("first", "second")),
                    Scheduler.maxThreads(2));
        } finally {
            System.setOut(original);
        }
        runDirectories.add(Path.of(report.runDirectory()));
        assertEquals(RunStatus.FINISHED, report.status());
        Sleeper.WakeUp wakeUp = report.worker("first").orElseThrow().result(Sleeper.WakeUp.class);
        assertEquals(new Sleeper.WakeUp("Hi", 0.2, wakeUp.ticket()), wakeUp);
        String blocks = printed.toString(StandardCharsets.UTF_8);
        assertTrue(blocks.contains("=".repeat(80) + System.lineSeparator() + "WORKER NAME: second" + System.lineSeparator()
                + "-".repeat(80)), blocks);
        assertTrue(blocks.contains("\"sentence\" : \"Hi\""), blocks);
    }

    @Test
    void runAsServerTakesMoreWorkWhileRunning() {
        try (Boss boss = Taylorism.runAsServer(Map.of(), Map.of("sleeping_time", List.of(0.3, 0.3)))) {
            boss.setInstructions(Map.of("name", "late"), Map.of("sleeping_time", List.of(0.1)));
            Report interim = boss.getReport(true);
            assertEquals(RunStatus.INTERIM, interim.status());
            Report done = boss.waitTillFinished();
            runDirectories.add(Path.of(done.runDirectory()));
            assertEquals(List.of("late", "sleeper-1", "sleeper-2"),
                    done.workers().stream().map(WorkerReport::name).sorted().toList());
        }
    }
}
