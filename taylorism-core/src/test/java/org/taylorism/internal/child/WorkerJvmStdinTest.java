package org.taylorism.internal.child;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.taylorism.testing.Awaits.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.WorkerType;
import org.taylorism.internal.Json;
import org.taylorism.internal.WorkerAccess;
import org.taylorism.testing.Leaks;
import org.taylorism.testing.TestWorkers;

/**
 * A worker JVM started the way the JDK launch starts it: standard input a pipe from its Boss, with no spawner
 * or watchdog around it, so that only the worker's own watch of that pipe is at work.
 */
class WorkerJvmStdinTest {

    @TempDir
    Path directory;

    private Process worker;

    @AfterEach
    void cleanUp() {
        if (worker != null) {
            worker.destroyForcibly();
        }
        Leaks.assertNoChildProcesses();
    }

    private Process startWorker(double napSeconds) throws IOException {
        Path taskFile = directory.resolve("nap.task.json");
        Json.MAPPER.writeValue(taskFile.toFile(), new TaskFile(TestWorkers.Nap.class.getName(), "nap", 1,
                Map.of("nap_seconds", napSeconds), directory.resolve("nap.result.json").toString(), true,
                WorkerAccess.get().fieldBindings(WorkerType.of(TestWorkers.Nap.class))));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(), taskFile.toString())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(directory.resolve("nap.stdout").toFile())
                .redirectError(directory.resolve("nap.stderr").toFile())
                .start();
    }

    @Test
    void theEndOfTheBossPipeStopsTheWorker() throws Exception {
        worker = startWorker(600);
        // It prints its pid once its task runs, after the watch has started.
        await().until(() -> Files.exists(directory.resolve("nap.stdout")) && !Files.readString(directory.resolve("nap.stdout")).isBlank());

        worker.getOutputStream().close();

        assertEquals(WorkerMain.ORPHANED_EXIT_CODE, worker.waitFor());
        assertEquals(List.of("taylorism: the Boss is gone; this worker stops."),
                Files.readAllLines(directory.resolve("nap.stderr")));
    }

    @Test
    void aTaskThatClosesItsStandardInputIsNotToldItsBossIsGone() throws Exception {
        Path taskFile = directory.resolve("closer.task.json");
        Json.MAPPER.writeValue(taskFile.toFile(), new TaskFile(TestWorkers.StdinCloser.class.getName(), "closer", 1,
                Map.of("close_stdin", "closed"), directory.resolve("closer.result.json").toString(), true,
                WorkerAccess.get().fieldBindings(WorkerType.of(TestWorkers.StdinCloser.class))));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(), taskFile.toString())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(directory.resolve("closer.stdout").toFile())
                .redirectError(directory.resolve("closer.stderr").toFile());
        builder.environment().put(WorkerMain.BOSS_PID_VARIABLE, Long.toString(ProcessHandle.current().pid()));
        worker = builder.start();

        assertEquals(0, worker.waitFor(), () -> read(directory.resolve("closer.stderr")));
        assertEquals("closed", Json.MAPPER.readTree(directory.resolve("closer.result.json").toFile()).path("result").asText());
        worker.getOutputStream().close();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void aWorkerWhoseBossLivesOnEndsNormallyAndWritesItsResult() throws Exception {
        worker = startWorker(0);

        assertEquals(0, worker.waitFor());
        assertEquals("ok", Json.MAPPER.readTree(directory.resolve("nap.result.json").toFile()).path("status").asText());
        worker.getOutputStream().close();
    }
}
