package org.taylorism.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.HaltPolicy;
import org.taylorism.RetryPolicy;
import org.taylorism.Scheduler;
import org.taylorism.Task;
import org.taylorism.WorkerRegistry;
import org.taylorism.internal.child.WorkerMain;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.testing.RecordingLauncher;
import org.taylorism.testing.TestWorkers;

/** What a launch is given: a fresh JVM its task file and its own crash log; a pool's JVMs one command, and no file. */
class LaunchPlannerTest {

    @TempDir
    Path runDirectory;

    private final WorkerRegistry registry = WorkerRegistry.builder().register(TestWorkers.Painter.class).build();
    private long ids;

    private Task task(String name) {
        Map<String, Object> set = Map.of("name", name, "colour", "red", "canvas", "/tmp/" + name + ".png");
        WorkerRegistry.Match match = registry.match(set);
        return new Task(++ids, name, match.type(), set, match.values(), Instant.EPOCH, 1);
    }

    private LaunchPlanner planner(boolean writeTaskFiles) {
        EngineSettings settings = new EngineSettings(Scheduler.maxThreads(2), new RecordingLauncher(), registry, HaltPolicy.KEEP_GOING,
                RetryPolicy.NONE, null, null, 0, Duration.ofSeconds(1), false, 1024, List.of(), Duration.ofSeconds(5),
                runDirectory, "java", List.of("-Xmx64m"), "classes", false, null, "java", Map.of(), null, null,
                Integer.MAX_VALUE, null);
        return new LaunchPlanner(settings, null, null, writeTaskFiles);
    }

    @Test
    void aPoolsTasksShareOneJvmCommandPerCpuBindingAndHaveNoTaskFile() throws IOException {
        LaunchPlanner planner = planner(false);
        LaunchSpec first = planner.plan(task("first"), 0, List.of(), null);
        LaunchSpec second = planner.plan(task("second"), 1, List.of(), null);
        assertSame(first.jvm(), second.jvm(), "made once, not per task");
        assertEquals(List.of("-XX:ErrorFile=" + runDirectory.resolve("hs_err_pid%p.log"), "-Xmx64m"), first.jvm().options());
        assertEquals(List.of(), first.jvm().arguments(), "no task file to name");
        assertNull(first.taskFile());
        assertNull(first.resultFile());
        assertEquals(runDirectory.resolve("1-first.stdout"), first.stdout());
        // The values in their JSON form: the enum by name, the path as text.
        assertEquals(Map.of("name", "first", "colour", "RED", "canvas", "/tmp/first.png", "coats", 3), first.values());

        LaunchSpec bound = planner.plan(task("bound"), 0, List.of(0), null);
        assertNotSame(first.jvm(), bound.jvm());
        assertTrue(bound.jvm().options().contains("-XX:ActiveProcessorCount=1"), bound.jvm().options().toString());
        assertSame(bound.jvm(), planner.plan(task("bound-elsewhere"), 1, List.of(1), null).jvm(), "as many CPUs, the same command");
        assertEquals(first.jvm(), planner.plan(task("again"), 0, List.of(), null).jvm(), "back to no binding");
        try (Stream<Path> files = Files.list(runDirectory)) {
            assertEquals(List.of(), files.toList(), "nothing written for a pool");
        }
    }

    @Test
    void valuesAlreadyInTheirJsonFormArePassedOnAsTheyAre() throws IOException {
        WorkerRegistry echoes = WorkerRegistry.builder().register(TestWorkers.Echo.class).build();
        Map<String, Object> set = Map.of("name", "echo", "message", "hi", "numbers", List.of(1, 2));
        WorkerRegistry.Match match = echoes.match(set);
        Task task = new Task(1, "echo", match.type(), set, match.values(), Instant.EPOCH, 1);
        assertSame(task.values(), planner(false).plan(task, 0, List.of(), null).values(), "no copy to make");
    }

    @Test
    void aFreshJvmGetsItsTaskFileAndACrashLogBesideItsOutput() throws IOException {
        LaunchPlanner planner = planner(true);
        LaunchSpec spec = planner.plan(task("fresh"), 0, List.of(), null);
        Path taskFile = runDirectory.resolve("1-fresh.task.json");
        assertEquals(taskFile, spec.taskFile());
        assertTrue(Files.isRegularFile(taskFile));
        assertEquals(runDirectory.resolve("1-fresh.result.json"), spec.resultFile());
        assertEquals(List.of("-XX:ErrorFile=" + runDirectory.resolve("1-fresh.hs_err.log"), "-Xmx64m"), spec.jvm().options());
        assertEquals(WorkerMain.class.getName(), spec.jvm().mainClass());
        assertEquals(List.of(taskFile.toString()), spec.jvm().arguments());
        assertNotSame(spec.jvm(), planner.plan(task("other"), 0, List.of(), null).jvm());
    }
}
