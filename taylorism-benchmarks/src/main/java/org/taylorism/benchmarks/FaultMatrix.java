package org.taylorism.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.taylorism.Boss;
import org.taylorism.HaltPolicy;
import org.taylorism.Report;
import org.taylorism.Scheduler;
import org.taylorism.WorkerRegistry;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.spi.WorkerLauncher;

/**
 * The fault matrix of issue #21, kept with the benchmarks: every way a worker can go wrong, on every local way to
 * launch, each case beside a healthy worker. Counts, per way: the cases that ended as expected, hangs (a run not
 * over in {@value #BOUND_MINUTES} minutes), orphans (a process of a case still alive once its run is over and its
 * leftovers' grace has passed) and lost results (a healthy neighbour that did not succeed with its result). Run:
 * {@code java -jar taylorism-benchmarks/target/benchmarks.jar faults}.
 */
public final class FaultMatrix {

    /** In every process a case starts, and what it starts: what is still alive with it after the run is an orphan. */
    static final String MARK_VARIABLE = "TAYLORISM_FAULT_MARK";
    private static final long BOUND_MINUTES = 3;
    private static final PrintStream OUT = System.out;

    /** A way to launch workers on this machine. */
    enum Way {
        NATIVE("auto", false), PERL("perl", false), JDK("false", false), POOL("auto", true);

        private final String spawner;
        private final boolean pool;

        Way(String spawner, boolean pool) {
            this.spawner = spawner;
            this.pool = pool;
        }

        /** The launcher of this way: the spawner is chosen by the property the local launcher reads at its start. */
        WorkerLauncher launcher() {
            System.setProperty("taylorism.spawner", spawner);
            return pool ? WorkerLauncher.warmPool(2, 1000) : WorkerLauncher.localProcesses();
        }
    }

    /**
     * One case.
     *
     * @param set its instruction set, but for its name and mark
     * @param expected the statuses it may end with
     * @param notOn the way it is not run on (its fault would take the harness down), or null
     */
    record Case(String name, Map<String, Object> set, Set<WorkerStatus> expected, Way notOn) {
    }

    /** What one way's run came to. */
    record Tally(Way way, int cases, int asExpected, int hangs, int orphans, int lostResults, List<String> notes) {
    }

    private FaultMatrix() {
    }

    /** Runs the matrix with its files below {@code scratch}, and prints its table. */
    static void run(Path scratch) throws Exception {
        List<Tally> tallies = new ArrayList<>();
        for (Way way : Way.values()) {
            tallies.add(runOn(way, Files.createDirectories(scratch.resolve(way.name().toLowerCase(Locale.ROOT)))));
        }
        OUT.printf(Locale.ROOT, "%-8s %6s %12s %6s %8s %13s%n", "launch", "cases", "as expected", "hangs", "orphans", "lost results");
        for (Tally tally : tallies) {
            OUT.printf(Locale.ROOT, "%-8s %6d %12d %6d %8d %13d%n", tally.way().name().toLowerCase(Locale.ROOT), tally.cases(),
                    tally.asExpected(), tally.hangs(), tally.orphans(), tally.lostResults());
        }
        for (Tally tally : tallies) {
            tally.notes().forEach(note -> OUT.println(tally.way().name().toLowerCase(Locale.ROOT) + ": " + note));
        }
    }

    private static List<Case> cases() {
        Set<WorkerStatus> ok = Set.of(WorkerStatus.SUCCEEDED);
        Set<WorkerStatus> failed = Set.of(WorkerStatus.FAILED);
        Set<WorkerStatus> crashed = Set.of(WorkerStatus.CRASHED);
        Set<WorkerStatus> timedOut = Set.of(WorkerStatus.TIMED_OUT);
        return List.of(
                shell("exit-3", "exit 3", failed),
                shell("self-kill", "kill -9 $$", crashed),
                new Case("timeout", Map.of("command", List.of("sleep", "600"), "timeout", 2), timedOut, null),
                new Case("term-deaf-tree", Map.of("command", List.of("sh", "-c", "trap '' TERM; sleep 600 & sleep 600 & wait"),
                        "timeout", 2), timedOut, null),
                new Case("stall", Map.of("command", List.of("sh", "-c", "echo once; sleep 600"), "stall_timeout", 2), timedOut, null),
                shell("20MB-output", "head -c 20000000 /dev/zero", ok),
                shell("garbage-output", "head -c 1000000 /dev/urandom; head -c 1000000 /dev/urandom >&2", ok),
                shell("setsid-daemon", "setsid sleep 600 > /dev/null 2>&1 < /dev/null &", ok),
                shell("nohup", "nohup sleep 600 > /dev/null 2>&1 &", ok),
                shell("double-fork", "( ( sleep 600 > /dev/null 2>&1 & ) & )", ok),
                shell("own-group", "set -m; sleep 600 > /dev/null 2>&1 &", ok),
                // On the JDK's launch, the parent of a program is the Boss JVM itself.
                new Case("kill-spawner", Map.of("command", List.of("sh", "-c", "kill -9 $PPID")), ok, Way.JDK),
                new Case("missing-program", Map.of("command", List.of("no-such-program-of-the-fault-matrix")), failed, null),
                java("exception", failed),
                java("exit-7", crashed),
                java("halt", crashed),
                java("oom", Set.of(WorkerStatus.FAILED, WorkerStatus.CRASHED)),
                java("close-stdin", ok),
                java("big-result", ok),
                java("fifo-result", failed),
                java("daemon", ok));
    }

    private static Case shell(String name, String script, Set<WorkerStatus> expected) {
        return new Case(name, Map.of("command", List.of("sh", "-c", script)), expected, null);
    }

    private static Case java(String fault, Set<WorkerStatus> expected) {
        return new Case("java-" + fault, Map.of("fault", fault), expected, null);
    }

    private static Tally runOn(Way way, Path directory) throws IOException {
        String markPrefix = "fault-" + ProcessHandle.current().pid() + "-" + way + "-";
        List<Case> cases = cases().stream().filter(each -> each.notOn() != way).toList();
        List<Map<String, Object>> sets = new ArrayList<>();
        for (Case each : cases) {
            Map<String, Object> set = new LinkedHashMap<>(each.set());
            set.put("name", each.name());
            if (set.containsKey("command")) {
                set.put("env", Map.of(MARK_VARIABLE, markPrefix + each.name()));
            } else {
                set.put("mark", markPrefix + each.name());
            }
            sets.add(set);
            sets.add(Map.of("name", "ok-" + each.name(), "echo", "ok-" + each.name()));
        }
        List<String> notes = new ArrayList<>();
        Report report = null;
        int hangs = 0;
        try (Boss boss = Boss.builder().launcher(way.launcher()).scheduler(Scheduler.maxThreads(4)).haltPolicy(HaltPolicy.KEEP_GOING)
                .stopGracePeriod(Duration.ofSeconds(1)).runDirectory(directory).javaOptions(List.of("-Xmx128m"))
                .registry(WorkerRegistry.builder().register(FaultWorkers.Echo.class).register(FaultWorkers.Faulty.class).build())
                .build()) {
            boss.addInstructions(sets);
            boss.makeThemWork();
            boss.end();
            try {
                report = boss.waitTillFinished(Duration.ofMinutes(BOUND_MINUTES));
            } catch (TimeoutException e) {
                report = boss.interimReport();
                hangs = report.pending().size() + report.running().size();
                notes.add("hung: " + report.runningNames() + " running, " + report.pendingNames() + " pending");
            }
        } finally {
            System.clearProperty("taylorism.spawner");
        }
        int asExpected = 0;
        int lost = 0;
        for (Case each : cases) {
            WorkerReport worker = report.worker(each.name()).orElse(null);
            if (worker != null && each.expected().contains(worker.status())) {
                asExpected++;
            } else {
                notes.add(each.name() + ": " + (worker == null ? "no report" : worker.status().jsonName() + " (" + worker.cause() + ": "
                        + (worker.error() == null ? "" : worker.error().oneLine()) + "), expected " + each.expected()));
            }
            WorkerReport neighbour = report.worker("ok-" + each.name()).orElse(null);
            if (neighbour == null || neighbour.status() != WorkerStatus.SUCCEEDED || !("ok-" + each.name()).equals(neighbour.result())) {
                lost++;
                notes.add("ok-" + each.name() + " lost its result: " + (neighbour == null ? "no report" : neighbour.status().jsonName()));
            }
        }
        int orphans = orphans(markPrefix, directory, notes);
        return new Tally(way, cases.size(), asExpected, hangs, orphans, lost, notes);
    }

    /**
     * The processes of this way's cases still alive once their leftovers' grace (5 s) has passed: those that carry its
     * mark, or name its run directory. Each is named in the notes, then killed.
     */
    private static int orphans(String markPrefix, Path directory, List<String> notes) throws IOException {
        Instant until = Instant.now().plusSeconds(10);
        List<Long> found = marked(markPrefix, directory);
        while (!found.isEmpty() && Instant.now().isBefore(until)) {
            try {
                Thread.sleep(200); // leftovers are given 5 s after SIGTERM: nothing to wait on but their end
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            found = marked(markPrefix, directory);
        }
        for (Long pid : found) {
            ProcessHandle.of(pid).ifPresent(process -> {
                notes.add("orphan: process " + pid + " (" + process.info().commandLine().orElse("?") + ") of case "
                        + caseOf(Path.of("/proc", String.valueOf(pid), "environ"), markPrefix));
                process.destroyForcibly();
            });
        }
        return found.size();
    }

    private static List<Long> marked(String markPrefix, Path directory) throws IOException {
        byte[] mark = (MARK_VARIABLE + "=" + markPrefix).getBytes(StandardCharsets.UTF_8);
        String runDirectory = directory.toString();
        long self = ProcessHandle.current().pid();
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), entry -> entry.getFileName().toString().matches("\\d+"))) {
            for (Path process : processes) {
                long pid = Long.parseLong(process.getFileName().toString());
                if (pid != self && (contains(process.resolve("environ"), mark)
                        || contains(process.resolve("cmdline"), runDirectory.getBytes(StandardCharsets.UTF_8)))) {
                    found.add(pid);
                }
            }
        }
        return found;
    }

    /** The case whose mark a process's environment holds, or "?" (one found by its command line). */
    private static String caseOf(Path environ, String markPrefix) {
        try {
            String prefix = MARK_VARIABLE + "=" + markPrefix;
            for (String entry : new String(Files.readAllBytes(environ), StandardCharsets.UTF_8).split("\0")) {
                if (entry.startsWith(prefix)) {
                    return entry.substring(prefix.length());
                }
            }
        } catch (IOException e) {
            return "? (" + e.getMessage() + ")";
        }
        return "?";
    }

    private static boolean contains(Path file, byte[] wanted) {
        try {
            byte[] content = Files.readAllBytes(file);
            outer:
            for (int i = 0; i + wanted.length <= content.length; i++) {
                for (int j = 0; j < wanted.length; j++) {
                    if (content[i + j] != wanted[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        } catch (IOException | SecurityException e) {
            return false; // gone meanwhile, or another user's
        }
    }
}
