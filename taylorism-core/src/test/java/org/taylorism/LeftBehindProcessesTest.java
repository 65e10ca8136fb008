package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taylorism.testing.Awaits.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.testing.Leaks;
import org.taylorism.testing.Spawners;

/**
 * Workers that leave processes behind in every way a shell offers (a new session, nohup, a double fork, a process
 * group of its own): with either spawner, and on the JDK's own launch, each is stopped when its worker ends, and the
 * report counts it.
 */
class LeftBehindProcessesTest {

    @TempDir
    Path directory;

    private final List<Long> daemons = new ArrayList<>();

    @AfterEach
    void noLeftovers() {
        daemons.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    /** A worker that starts a daemon in {@code how}, which writes its pid to a file, then ends at once. */
    private Map<String, Object> leaving(String name, String how) {
        Path pidFile = directory.resolve(name + ".pid");
        String daemon = "sh -c 'echo $$ > " + pidFile + "; exec sleep 600'";
        return Map.of("name", name, "command", List.of("sh", "-c", how.replace("DAEMON", daemon)
                + "\nwhile [ ! -s " + pidFile + " ]; do sleep 0.05; done"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "perl", "false"})
    void whatAWorkerLeftBehindIsStoppedAtItsEndAndCounted(String spawner) throws Exception {
        List<Map<String, Object>> sets = List.of(
                leaving("new-session", "setsid DAEMON > /dev/null 2>&1 < /dev/null &"),
                leaving("nohup", "nohup DAEMON > /dev/null 2>&1 &"),
                leaving("double-fork", "( ( DAEMON > /dev/null 2>&1 & ) & )"),
                leaving("own-group", "set -m; DAEMON > /dev/null 2>&1 &"),
                Map.of("name", "clean", "command", List.of("true")));
        Report report;
        try (Boss boss = Boss.builder().launcher(Spawners.localWith(spawner)).scheduler(Scheduler.maxThreads(5))
                .haltPolicy(HaltPolicy.KEEP_GOING).runDirectory(directory.resolve("run")).registry(WorkerRegistry.builder().build())
                .build()) {
            boss.addInstructions(sets);
            boss.makeThemWork();
            boss.end();
            report = boss.waitTillFinished(Duration.ofMinutes(2));
            for (String name : List.of("new-session", "nohup", "double-fork", "own-group")) {
                WorkerReport worker = report.worker(name).orElseThrow();
                assertEquals(WorkerStatus.SUCCEEDED, worker.status(), name + ": " + worker.error());
                assertEquals(1, worker.leftBehind(), name + " left its daemon behind");
                long daemon = Long.parseLong(Files.readString(directory.resolve(name + ".pid")).strip());
                daemons.add(daemon);
                // Stopped at its worker's end, while the Boss still runs: not at the end of the run.
                await().until(() -> ProcessHandle.of(daemon).map(process -> !Leaks.isRunning(process)).orElse(true));
            }
            assertEquals(null, report.worker("clean").orElseThrow().leftBehind());
        }
        assertTrue(report.isSuccess(), report.toJson());
    }
}
