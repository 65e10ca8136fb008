package org.taylorism.internal.launch;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.internal.child.WorkerMain;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.LaunchedWorker;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.spi.WorkerOutcome;

/**
 * Every worker is a child process of this machine, started in a session (and process group) of its own, its
 * output going straight to its files (the Boss never reads a pipe), its standard input {@code /dev/null}.
 *
 * <p>Processes are started by a {@link Spawner}, a small resident process started with the launcher: a
 * native one ({@code posix_spawn} with {@code POSIX_SPAWN_SETSID}, built once per machine where there is
 * a C compiler), else a perl one. Where neither runs (or with {@code -Dtaylorism.spawner=false}), the JDK
 * starts them, {@code setsid} in front, a Java worker's standard input a pipe this JVM holds so that it exits
 * on the JVM's end, and a {@link Watchdog} that kills every worker's tree if this JVM dies without its shutdown
 * hook; the spawner does the same by itself. (On JDKs before 21 the JDK's {@code VFORK} launch mechanism is
 * faster, 1.4 instead of 2.6 ms a launch; it is a JVM-wide setting, so the library leaves it to the
 * application: {@code -Djdk.lang.Process.launchMechanism=VFORK}, which the command line sets.)
 *
 * <p>Either way a Ctrl-C in the Boss's terminal reaches the Boss only, which then decides what its workers
 * do, and stopping a worker signals its whole group, grandchildren that were orphaned on the way included.
 */
final class LocalProcessLauncher implements WorkerLauncher {

    private static final Logger log = LoggerFactory.getLogger(LocalProcessLauncher.class);
    /** Numbers the tags of the workers the JDK starts. */
    private static final java.util.concurrent.atomic.AtomicLong TAGS = new java.util.concurrent.atomic.AtomicLong();
    /** Time a process a worker left is given between SIGTERM and SIGKILL. */
    private static final Duration LEFT_BEHIND_GRACE = Duration.ofSeconds(5);
    private static final File NULL_DEVICE = new File("/dev/null");
    /** What the watchdog does with the pids still on its list when the Boss JVM is gone: freeze, then kill, each tree. */
    /**
     * The watchdog's clean-up. Each tree is listed first (a child whose parent exits is reparented, out of reach of
     * the listing), then sent TERM and given up to 5 s: a worker JVM whose task returned writes its result before
     * it goes ({@code ResultGate}), for a run that resumes this one to adopt. Then what is left is stopped, so
     * that nothing forks meanwhile, and killed.
     */
    private static final String KILL_TREES = String.join("\n",
            "tree() { local c; for c in $(ps -o pid= --ppid \"$1\" 2>/dev/null); do tree \"$c\"; done; echo \"$1\"; }",
            "declare -A trees",
            "for p in \"${!live[@]}\"; do trees[$p]=\"$(tree \"$p\")\"; done",
            "for p in \"${!live[@]}\"; do kill -TERM -- -\"$p\" \"$p\" 2>/dev/null; done",
            "for i in $(seq 50); do",
            "  alive=; for p in \"${!live[@]}\"; do kill -0 \"$p\" 2>/dev/null && alive=1; done",
            "  [ -z \"$alive\" ] && break; sleep 0.1",
            "done",
            "for p in \"${!live[@]}\"; do kill -STOP -- -\"$p\" ${trees[$p]} 2>/dev/null; done",
            "for p in \"${!live[@]}\"; do kill -KILL -- -\"$p\" ${trees[$p]} 2>/dev/null; done",
            "");

    private final Escalation escalation = new Escalation();
    private final AtomicInteger watched = new AtomicInteger();
    /** Programs found on the PATH, by name and PATH, with where: a launch then costs no directory scan. */
    private final Map<String, Path> programsFound = new ConcurrentHashMap<>();

    /** Started with the launcher, in the background, so that its start is not part of the first worker's time. */
    private final CompletableFuture<Spawner> spawnerStart;
    private final String spawnerChoice;
    /**
     * The spawner that starts the next workers, once taken from {@link #spawnerStart}: the first one, or the one that
     * replaced it when it was lost (a worker killed it); null for none (the JDK starts them).
     */
    private volatile Spawner active;
    private volatile boolean activeTaken;
    /** Spawners that were lost, closed with the launcher: their keepers may still watch workers. Guarded by this. */
    private final List<Spawner> lostSpawners = new ArrayList<>();
    /** Started at the first program the JDK starts (no spawner), or null where bash cannot run. Guarded by this. */
    private Watchdog watchdog;
    private boolean watchdogTried;

    LocalProcessLauncher() {
        String choice = System.getProperty("taylorism.spawner", "auto");
        spawnerChoice = choice;
        spawnerStart = CompletableFuture.supplyAsync(() -> startSpawner(choice), task -> {
            Thread thread = new Thread(task, "taylorism-spawner-start");
            thread.setDaemon(true);
            thread.start();
        });
    }

    private static Spawner startSpawner(String choice) {
        try {
            return Spawner.start(choice);
        } catch (RuntimeException e) {
            log.warn("Could not start the process spawner; the JDK starts the workers", e);
            return null;
        }
    }

    @Override
    public String name() {
        return "local";
    }

    /** What a dead Boss's workers of the run left on this machine: waited for, stopped if need be (see {@link LeftBehind}). */
    @Override
    public List<String> stopLeftBehind(Path runDirectory) throws IOException {
        return LeftBehind.stop(runDirectory);
    }

    @Override
    public LaunchedWorker launch(LaunchSpec spec, Consumer<WorkerOutcome> onEnd) throws IOException {
        if (spec.kind() == LaunchSpec.Kind.COMMAND) {
            checkProgram(spec, programsFound);
        }
        Spawner current = spawner();
        if (current != null) {
            try {
                return spawned(current, spec, onEnd);
            } catch (IOException e) {
                if (!current.lostAfterAFailedRequest()) {
                    throw e;
                }
                // Lost between the choice and the request (a worker killed it): once more, with its replacement.
                return launchedElsewhere(spec, onEnd);
            }
        }
        return launchedByTheJdk(spec, onEnd);
    }

    /** Launched by the replacement of a lost spawner, or by the JDK where none can start. */
    private LaunchedWorker launchedElsewhere(LaunchSpec spec, Consumer<WorkerOutcome> onEnd) throws IOException {
        Spawner replacement = spawner();
        return replacement != null ? spawned(replacement, spec, onEnd) : launchedByTheJdk(spec, onEnd);
    }

    /** Asks the spawner and returns at once: the pid, or why it could not start, comes later. */
    private LaunchedWorker spawned(Spawner current, LaunchSpec spec, Consumer<WorkerOutcome> onEnd) throws IOException {
        List<String> argv = new ArrayList<>(pinning(spec));
        argv.addAll(spec.command());
        SpawnedWorker worker = new SpawnedWorker(current, escalation);
        // Found here once, the program is not looked for along the PATH again by every start.
        String program = argv.get(0);
        Path executable = program.contains("/") ? null
                : programsFound.get(program + "\0" + spec.environment().getOrDefault("PATH", System.getenv("PATH")));
        worker.id = current.spawn(argv, executable, spec.directory(), spec.environment(), spec.stdout(), spec.stderr(), new Spawner.Events() {
            @Override
            public void started(long pid) {
                worker.pid = pid;
            }

            @Override
            public void failed(String reason) {
                onEnd.accept(Outcomes.launchFailed(spec, "could not start " + spec.command()
                        + (spec.directory() == null ? "" : " in " + spec.directory()) + ": " + reason));
            }

            @Override
            public void ended(int waitStatus, int leftBehind) {
                worker.leftBehind = leftBehind;
                if (leftBehind > 0) {
                    log.warn("Worker {} left {} process{} running when it ended; stopped (TERM, then KILL after 5 s)", spec.name(),
                            leftBehind, leftBehind == 1 ? "" : "es");
                }
                onEnd.accept(Outcomes.ofExit(spec, Spawner.exitCode(waitStatus)));
            }

            @Override
            public void notStarted() {
                log.warn("Worker {} was asked of a process spawner that was killed before it began it; it starts elsewhere", spec.name());
                worker.moveElsewhere(() -> launchedElsewhere(spec, onEnd), spec, onEnd);
            }
        });
        return worker;
    }

    private LaunchedWorker launchedByTheJdk(LaunchSpec spec, Consumer<WorkerOutcome> onEnd) throws IOException {
        List<String> command = new ArrayList<>();
        if (ProcessTree.SETSID != null) {
            command.add(ProcessTree.SETSID);
        }
        command.addAll(pinning(spec));
        command.addAll(spec.command());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(Redirect.to(spec.stdout().toFile()))
                .redirectError(Redirect.to(spec.stderr().toFile()))
                .redirectInput(spec.kind() == LaunchSpec.Kind.JAVA ? Redirect.PIPE : Redirect.from(NULL_DEVICE));
        builder.environment().putAll(spec.environment());
        // What it starts inherits the tag: at its end, what it left (daemons out of its group) is found and stopped.
        String tag = ProcessHandle.current().pid() + ".jdk." + TAGS.incrementAndGet();
        builder.environment().put(LeftBehind.TAG_VARIABLE, tag);
        if (spec.kind() == LaunchSpec.Kind.JAVA) {
            // setsid and taskset exec: this JVM is the worker JVM's parent.
            builder.environment().put(WorkerMain.BOSS_PID_VARIABLE, Long.toString(ProcessHandle.current().pid()));
        }
        if (spec.directory() != null) {
            builder.directory(spec.directory().toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("could not start " + spec.command() + (spec.directory() == null ? "" : " in " + spec.directory())
                    + ": " + e.getMessage(), e);
        }
        watch(process.pid());
        ProcessWorker worker = new ProcessWorker(process, escalation);
        process.onExit().whenComplete((exited, error) -> {
            forget(process.pid());
            worker.leftBehind(stopWhatItLeft(spec.name(), tag));
            onEnd.accept(Outcomes.ofExit(spec, process.exitValue()));
        });
        return worker;
    }

    /**
     * Stops what a worker the JDK started left running, as the spawners do: SIGTERM now, SIGKILL after
     * {@link #LEFT_BEHIND_GRACE}; returns how many there were. With no subreaper to catch them, a second look at the
     * end of the grace period finds what was still being forked at the worker's end (a double fork).
     */
    private int stopWhatItLeft(String worker, String tag) {
        List<ProcessHandle> left = LeftBehind.tagged(tag);
        left.forEach(ProcessHandle::destroy);
        escalation.after(LEFT_BEHIND_GRACE, () -> LeftBehind.tagged(tag).forEach(ProcessHandle::destroyForcibly));
        if (!left.isEmpty()) {
            log.warn("Worker {} left {} process{} running when it ended; stopped (TERM, then KILL after {} s)", worker, left.size(),
                    left.size() == 1 ? "" : "es", LEFT_BEHIND_GRACE.toSeconds());
        }
        return left.size();
    }

    /** {@code taskset -c CPUS} in front of a bound worker: it execs the command, so the pid stays the same. */
    private static List<String> pinning(LaunchSpec spec) {
        if (spec.cpus().isEmpty()) {
            return List.of();
        }
        return List.of("taskset", "-c", spec.cpus().stream().map(String::valueOf).collect(Collectors.joining(",")));
    }

    /**
     * Fails the launch, as starting it directly would, when the program does not exist or cannot run, with a
     * message that names it and where it was looked for.
     */
    private static void checkProgram(LaunchSpec spec, Map<String, Path> found) throws IOException {
        String program = spec.command().get(0);
        String path = spec.environment().getOrDefault("PATH", System.getenv("PATH"));
        String key = program.contains("/") ? null : program + "\0" + path;
        if (key != null && found.containsKey(key)) {
            return;
        }
        List<Path> candidates = new ArrayList<>();
        if (program.contains("/")) {
            Path base = spec.directory() != null ? spec.directory() : Path.of("");
            candidates.add(base.resolve(program));
        } else {
            for (String directory : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
                candidates.add(Path.of(directory.isEmpty() ? "." : directory, program));
            }
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                if (key != null && candidate.isAbsolute()) {
                    // a relative PATH entry ("." or empty) depends on the worker's directory: looked up each time
                    found.put(key, candidate);
                }
                return;
            }
        }
        throw new IOException("could not start " + spec.command() + (spec.directory() == null ? "" : " in " + spec.directory())
                + ": " + (program.contains("/") ? "no executable file " + candidates.get(0) : "no program '" + program + "' on the PATH"));
    }

    /** The spawner that starts the next worker: the first one, or another when that one was lost; null for none. */
    private Spawner spawner() {
        if (!activeTaken) {
            synchronized (this) {
                if (!activeTaken) {
                    active = spawnerStart.join();
                    activeTaken = true;
                }
            }
        }
        Spawner current = active;
        return current != null && current.lost() ? replaced(current) : current;
    }

    /** Starts another spawner in place of {@code lost}; the workers {@code lost} ran are still its to report. */
    private synchronized Spawner replaced(Spawner lost) {
        if (active != lost) {
            return active;
        }
        lostSpawners.add(lost);
        active = startSpawner(spawnerChoice);
        log.warn("The process spawner was lost; {}", active != null ? "another one starts the next workers"
                : "the JDK starts the next workers");
        return active;
    }

    private synchronized Watchdog watchdog() {
        if (!watchdogTried) {
            watchdogTried = true;
            watchdog = Watchdog.start("worker processes", KILL_TREES);
        }
        return watchdog;
    }

    /** Puts a process started by the JDK (here, or a pooled JVM) under the watchdog. */
    void watch(long pid) {
        Watchdog current = watchdog();
        if (current != null) {
            watched.incrementAndGet();
            current.watch(String.valueOf(pid));
        }
    }

    void forget(long pid) {
        Watchdog current = watchdog();
        if (current != null) {
            current.forget(String.valueOf(pid));
            watched.decrementAndGet();
        }
    }

    /** The launcher's escalation, which its pool shares: one thread for the second phase of every stop. */
    Escalation escalation() {
        return escalation;
    }

    @Override
    public synchronized void close() {
        // With workers still alive, leaving without a goodbye makes spawner and watchdog kill them.
        Spawner spawner = activeTaken ? active : spawnerStart.join();
        if (spawner != null) {
            spawner.close();
        }
        lostSpawners.forEach(Spawner::close);
        if (watchdog != null) {
            watchdog.close(watched.get() == 0);
        }
        escalation.close();
    }

    /** A worker the spawner started: its group is signalled through the spawner. */
    /** How a worker that its lost spawner never began is launched anew. */
    @FunctionalInterface
    private interface Relaunch {
        LaunchedWorker launch() throws IOException;
    }

    private static final class SpawnedWorker implements LaunchedWorker {
        private final Spawner spawner;
        private final Escalation escalation;
        private volatile long id;
        private volatile long pid;
        private volatile int leftBehind;
        /** Where the worker goes when its spawner was killed before it began it. */
        private final Relocation relocation = new Relocation();

        SpawnedWorker(Spawner spawner, Escalation escalation) {
            this.spawner = spawner;
            this.escalation = escalation;
        }

        /**
         * Launches the worker anew, outside any lock (a replacement spawner may take seconds to start), unless the
         * Boss stopped it first: it then ends as a killed worker would, without ever running.
         */
        void moveElsewhere(Relaunch relaunch, LaunchSpec spec, Consumer<WorkerOutcome> onEnd) {
            if (relocation.stopped()) {
                onEnd.accept(Outcomes.ofExit(spec, 128 + 9));
                return;
            }
            LaunchedWorker moved;
            try {
                moved = relaunch.launch();
            } catch (IOException | RuntimeException e) {
                onEnd.accept(Outcomes.launchFailed(spec, "its process spawner was killed before it began it, and it could not be"
                        + " started anew: " + e.getMessage()));
                return;
            }
            relocation.moveTo(moved);
        }

        @Override
        public OptionalLong pid() {
            LaunchedWorker moved = relocation.movedTo();
            if (moved != null) {
                return moved.pid();
            }
            long known = pid;
            return known > 0 ? OptionalLong.of(known) : OptionalLong.empty();
        }

        @Override
        public int leftBehind() {
            LaunchedWorker moved = relocation.movedTo();
            return moved != null ? moved.leftBehind() : leftBehind;
        }

        @Override
        public void stop(Duration grace) {
            relocation.stop(grace, () -> stopHere(grace));
        }

        private void stopHere(Duration grace) {
            List<ProcessHandle> tree = new ArrayList<>();
            pid().ifPresent(known -> ProcessHandle.of(known).ifPresent(root -> {
                tree.add(root);
                root.descendants().forEach(tree::add);
            }));
            if (grace.isZero() || grace.isNegative()) {
                kill(tree);
                return;
            }
            spawner.signal(id, "TERM");
            tree.forEach(ProcessHandle::destroy);
            escalation.after(grace, () -> kill(tree));
        }

        private void kill(List<ProcessHandle> tree) {
            spawner.signal(id, "KILL");
            for (ProcessHandle process : tree) {
                if (process.isAlive()) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            }
        }

        @Override
        public void pause() {
            relocation.pause(() -> spawner.signal(id, "STOP"));
        }

        @Override
        public void resume() {
            relocation.resume(() -> spawner.signal(id, "CONT"));
        }
    }
}
