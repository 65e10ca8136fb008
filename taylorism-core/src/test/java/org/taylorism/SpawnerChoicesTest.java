package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taylorism.testing.Awaits.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.taylorism.testing.Leaks;
import org.taylorism.testing.Spawners;

/**
 * The three ways the local launcher starts processes give the same outcomes: the native spawner (built here,
 * where there is a C compiler), the perl spawner, and the JDK with setsid.
 */
class SpawnerChoicesTest {

    @TempDir
    Path runDirectory;

    /** What starts the processes, as seen among this JVM's children while a worker runs. */
    private static String spawnerSeen() {
        return ProcessHandle.current().children().map(child -> child.info().command().orElse("")).filter(command ->
                command.endsWith("/taylorism-spawner") || command.endsWith("/perl")).findFirst().map(command ->
                command.endsWith("/perl") ? "perl" : "native").orElse("none");
    }

    /** The perl spawner's script is deleted once perl has read it: a JVM killed later leaves no file behind. */
    private static void assertPerlScriptsGone() {
        ProcessHandle.current().children().filter(child -> child.info().command().orElse("").endsWith("/perl")).forEach(perl -> {
            String[] arguments = perl.info().arguments().orElseThrow();
            Path script = Path.of(arguments[arguments.length - 1]);
            assertTrue(script.getFileName().toString().startsWith("taylorism-spawner-"), script.toString());
            assertFalse(Files.exists(script), script + " is still there");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "perl", "false"})
    void everyWayGivesTheSameOutcomes(String choice) throws IOException {
        Path elsewhere = Files.createDirectories(runDirectory.resolve("elsewhere"));
        Path script = Files.writeString(runDirectory.resolve("no-shebang.sh"), "echo a script without a first line\n");
        script.toFile().setExecutable(true);
        try (Boss boss = Boss.builder().launcher(Spawners.localWith(choice)).scheduler(Scheduler.maxThreads(8)).failurePolicy(FailurePolicy.KEEP_GOING)
                .runDirectory(runDirectory.resolve("run")).stopGracePeriod(Duration.ofSeconds(1)).registry(WorkerRegistry.builder().build())
                .build()) {
            boss.addInstructions(List.of(
                    Map.of("name", "talks", "command", List.of("sh", "-c", "echo out; echo err >&2")),
                    Map.of("name", "exits-3", "command", List.of("sh", "-c", "exit 3")),
                    Map.of("name", "killed", "command", List.of("sh", "-c", "kill -KILL $$")),
                    Map.of("name", "where", "command", List.of("sh", "-c", "echo $(pwd) $FOO"), "cwd", elsewhere.toString(),
                            "env", Map.of("FOO", "bar")),
                    Map.of("name", "nowhere", "command", List.of("true"), "cwd", runDirectory.resolve("missing").toString()),
                    Map.of("name", "empty-arguments", "command", List.of("sh", "-c", "printf '[%s]' \"$@\"", "sh", "", "b", "")),
                    Map.of("name", "no-shebang", "command", List.of(script.toString())),
                    Map.of("name", "leaves-a-child", "command", List.of("sh", "-c", "sleep 60 & echo $!")),
                    Map.of("name", "tree", "command", List.of("sh", "-c", "sleep 60 & sleep 60 & wait"))));
            boss.makeThemWork();
            await().until(() -> boss.getReport(true).running().size() == 1 && boss.getReport(true).workers().size() == 8);
            assertEquals(Map.of("auto", "native", "perl", "perl", "false", "none").get(choice), spawnerSeen());
            assertPerlScriptsGone();
            // Signals to the Boss's process group (Ctrl-\\, a SIGTERM from timeout) are the Boss's to answer:
            // a spawner that died of them would leave its workers unstoppable.
            spawner().ifPresent(spawner -> {
                signal(spawner, "QUIT");
                signal(spawner, "TERM");
                // Nor can a signal to the Boss's group reach a child being spawned, in the spawner's group until setsid.
                assertTrue(processGroup(spawner.pid()) != processGroup(ProcessHandle.current().pid()),
                        "the spawner is in a process group of its own");
            });
            boss.send(Signal.STOP_RIGHTNOW);
            Report report = boss.waitTillFinished();

            WorkerReport talks = report.worker("talks").orElseThrow();
            assertEquals(WorkerStatus.SUCCEEDED, talks.status(), String.valueOf(talks.error()));
            assertEquals("out", Files.readString(Path.of(talks.stdout())).strip());
            assertEquals("err", Files.readString(Path.of(talks.stderr())).strip());
            WorkerReport exits = report.worker("exits-3").orElseThrow();
            assertEquals(WorkerStatus.FAILED, exits.status());
            assertEquals(3, exits.exitCode());
            WorkerReport killed = report.worker("killed").orElseThrow();
            assertEquals(WorkerStatus.CRASHED, killed.status());
            assertEquals("KILL", killed.signal());
            WorkerReport where = report.worker("where").orElseThrow();
            assertEquals(elsewhere + " bar", Files.readString(Path.of(where.stdout())).strip());
            WorkerReport nowhere = report.worker("nowhere").orElseThrow();
            assertEquals(WorkerStatus.FAILED, nowhere.status());
            assertTrue(nowhere.error().message().contains(runDirectory.resolve("missing").toString()), nowhere.error().message());
            assertEquals(WorkerStatus.KILLED, report.worker("tree").orElseThrow().status());
            assertEquals("[][b][]", Files.readString(Path.of(report.worker("empty-arguments").orElseThrow().stdout())));
            assertEquals("a script without a first line",
                    Files.readString(Path.of(report.worker("no-shebang").orElseThrow().stdout())).strip());
            leftover = Long.parseLong(Files.readString(Path.of(report.worker("leaves-a-child").orElseThrow().stdout())).strip());
        }
        Leaks.assertNoChildProcesses();
        if (!choice.equals("false")) {
            // What an ended worker left behind goes with the spawner (the JDK's launch leaves it to the watchdog).
            long pid = leftover;
            await().until(() -> ProcessHandle.of(pid).map(process -> !Leaks.isRunning(process)).orElse(true));
        } else {
            ProcessHandle.of(leftover).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private long leftover;

    private static java.util.Optional<ProcessHandle> spawner() {
        return ProcessHandle.current().children().filter(child -> child.info().command().map(command ->
                command.endsWith("/taylorism-spawner") || command.endsWith("/perl")).orElse(false)).findFirst();
    }

    /** The process group of {@code pid}, from {@code /proc/PID/stat} (the fifth field, after the command in parentheses). */
    private static long processGroup(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void signal(ProcessHandle process, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
