package org.taylorism.spi;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.ErrorInfo;

/**
 * Every worker is a child process of this JVM. Output goes straight from the child to its files (the Boss
 * never reads a pipe), and the JDK's process reaper reports each exit through {@link Process#onExit()}, so
 * no thread of ours waits per worker.
 *
 * <p>A Java worker's standard input is a pipe that this JVM holds open and never writes to: when this JVM
 * dies, however abruptly, the worker reads end-of-file and exits. A program's standard input is
 * {@code /dev/null}, so a program that reads it does not wait forever. Every worker is also watched by a
 * {@link CommandWatchdog}, started with the first of them, which also covers a paused Java worker (a
 * stopped process cannot read its end-of-file).
 *
 * <p>Every worker starts in a session (and process group) of its own, through {@code setsid}: a Ctrl-C in
 * the Boss's terminal reaches the Boss only, which then decides what its workers do, and stopping a
 * worker signals its whole group, grandchildren that were orphaned on the way included.
 */
final class LocalProcessLauncher implements WorkerLauncher {

    private static final Logger log = LoggerFactory.getLogger(LocalProcessLauncher.class);
    private static final File NULL_DEVICE = new File("/dev/null");

    private CommandWatchdog watchdog;
    private boolean watchdogTried;

    @Override
    public String name() {
        return "local";
    }

    @Override
    public synchronized void close() {
        if (watchdog != null) {
            // With workers still alive, closing without a goodbye makes the watchdog kill them.
            watchdog.close(watched.get() == 0);
        }
    }

    private final java.util.concurrent.atomic.AtomicInteger watched = new java.util.concurrent.atomic.AtomicInteger();

    /** Puts a process started elsewhere (a pooled JVM) under the same watchdog. */
    void watch(long pid) {
        CommandWatchdog current = watchdog();
        if (current != null) {
            watched.incrementAndGet();
            current.watch(pid);
        }
    }

    void forget(long pid) {
        CommandWatchdog current = watchdog();
        if (current != null) {
            current.forget(pid);
            watched.decrementAndGet();
        }
    }

    private synchronized CommandWatchdog watchdog() {
        if (!watchdogTried) {
            watchdogTried = true;
            watchdog = CommandWatchdog.start();
        }
        return watchdog;
    }

    @Override
    public LaunchedWorker launch(LaunchSpec spec, Consumer<WorkerOutcome> onEnd) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(pinned(spec))
                .redirectOutput(Redirect.to(spec.stdout().toFile()))
                .redirectError(Redirect.to(spec.stderr().toFile()))
                .redirectInput(spec.kind() == LaunchSpec.Kind.JAVA ? Redirect.PIPE : Redirect.from(NULL_DEVICE));
        builder.environment().putAll(spec.environment());
        if (spec.directory() != null) {
            builder.directory(spec.directory().toFile());
        }
        if (spec.kind() == LaunchSpec.Kind.COMMAND) {
            checkProgram(spec);
        }
        // Java workers also watch their stdin, but a paused (SIGSTOPped) one cannot: the watchdog takes every worker.
        CommandWatchdog programWatchdog = watchdog();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("could not start " + spec.command() + (spec.directory() == null ? "" : " in " + spec.directory())
                    + ": " + e.getMessage(), e);
        }
        if (programWatchdog != null) {
            watched.incrementAndGet();
            programWatchdog.watch(process.pid());
        }
        process.onExit().whenComplete((exited, error) -> {
            if (programWatchdog != null) {
                programWatchdog.forget(process.pid());
                watched.decrementAndGet();
            }
            WorkerOutcome outcome;
            try {
                outcome = WorkerOutcome.fromExit(spec, process.exitValue());
            } catch (RuntimeException | Error e) {
                log.error("Could not read the outcome of worker {}", spec.name(), e);
                outcome = new WorkerOutcome.Raised(ErrorInfo.of(e), null);
            }
            onEnd.accept(outcome);
        });
        return new LocalWorker(process);
    }

    /**
     * Fails the launch, as starting it directly would, when the program does not exist or cannot run: with
     * setsid in front, that would otherwise surface only as exit code 127 of a worker that did start.
     */
    private static void checkProgram(LaunchSpec spec) throws IOException {
        String program = spec.command().get(0);
        List<Path> candidates = new ArrayList<>();
        if (program.contains("/")) {
            Path base = spec.directory() != null ? spec.directory() : Path.of("");
            candidates.add(base.resolve(program));
        } else {
            String path = spec.environment().getOrDefault("PATH", System.getenv("PATH"));
            for (String directory : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
                candidates.add(Path.of(directory.isEmpty() ? "." : directory, program));
            }
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return;
            }
        }
        throw new IOException("could not start " + spec.command() + (spec.directory() == null ? "" : " in " + spec.directory())
                + ": " + (program.contains("/") ? "no executable file " + candidates.get(0) : "no program '" + program + "' on the PATH"));
    }

    /**
     * The command behind {@code setsid} and, when the worker is bound, {@code taskset -c CPUS}: each execs
     * the next, so the pid stays the program's own.
     */
    private static List<String> pinned(LaunchSpec spec) {
        List<String> command = new ArrayList<>();
        if (ProcessTree.SETSID != null) {
            command.add(ProcessTree.SETSID);
        }
        if (!spec.cpus().isEmpty()) {
            command.add("taskset");
            command.add("-c");
            command.add(spec.cpus().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        command.addAll(spec.command());
        return command;
    }

    private record LocalWorker(Process process) implements LaunchedWorker {

        @Override
        public OptionalLong pid() {
            return OptionalLong.of(process.pid());
        }

        @Override
        public void stop(Duration grace) {
            ProcessTree.stop(process.toHandle(), grace, ProcessTree.SETSID != null);
        }

        @Override
        public void pause() {
            ProcessTree.signal(process.toHandle(), "STOP", ProcessTree.SETSID != null);
        }

        @Override
        public void resume() {
            ProcessTree.signal(process.toHandle(), "CONT", ProcessTree.SETSID != null);
        }
    }
}
