package org.taylorism.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.taylorism.Boss;
import org.taylorism.Report;
import org.taylorism.Scheduler;
import org.taylorism.WorkerRegistry;
import org.taylorism.WorkerReport;
import org.taylorism.internal.UserDirectories;
import org.taylorism.internal.child.WorkerMain;
import org.taylorism.store.JdbcRunStore;

/**
 * Prints one table of figures measured side by side in this run. Run with
 * {@code java -jar taylorism-benchmarks/target/benchmarks.jar [ROW...]}; rows: {@code bookkeeping}.
 */
public final class BenchmarkMain {

    private static final PrintStream OUT = System.out;

    /**
     * Every run's files, deleted once the table is printed, not after each run: on ext4 without a journal
     * (as on this machine kind), a new file costs a scan of the inodes freed in the last minutes, so
     * deleting one run's thousands of files would slow the next run's launches, a cost xargs never pays.
     */
    private static Path scratch;

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> rows = args.length == 0 ? List.of("commands", "sleeps", "jvms", "pool", "bookkeeping", "store") : List.of(args);
        OUT.printf(Locale.ROOT, "%-58s %14s %14s%n", "benchmark", "figure", "target");
        scratch = Files.createTempDirectory("taylorism-bench-");
        try {
            awaitQuietFileSystem();
            rows(rows);
        } finally {
            deleteTree(scratch);
        }
    }

    /**
     * Waits, up to 8 minutes, until creating a file where the runs write is cheap again, and prints what it
     * costs. Each command task creates two files, each fresh-JVM task four, and on ext4 without a journal
     * (as on this machine kind) a new file costs 10-40 µs normally but 100-500 µs for up to 6 minutes after
     * many files were deleted nearby (the allocator skips every recently freed inode): rows (a) and (b) would
     * then measure the file system's recent past, which xargs never pays for.
     */
    private static void awaitQuietFileSystem() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        int waitedSeconds = 0;
        fileCreationMicros(); // the first figure measures class loading and the interpreter as well
        double micros = fileCreationMicros();
        while (micros > 60 && System.nanoTime() < deadline) {
            Thread.sleep(20_000); // a benchmark harness, not the Boss: waiting on the file system here is fine
            waitedSeconds += 20;
            micros = fileCreationMicros();
        }
        row("file creation where the runs write: µs per new file", String.format(Locale.ROOT, "%.1f", micros), "");
        if (waitedSeconds > 0) {
            row("  after waiting for earlier deletions to age out: s", Integer.toString(waitedSeconds), "");
        }
    }

    /** Microseconds per empty file created in a new directory beside the runs' (kept until the end). */
    private static double fileCreationMicros() throws IOException {
        Path probe = Files.createTempDirectory(scratch, "probe-");
        int count = 200;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Files.newOutputStream(probe.resolve("f" + i)).close();
        }
        return (System.nanoTime() - start) / 1e3 / count;
    }

    private static void rows(List<String> rows) throws Exception {
        for (String row : rows) {
            switch (row) {
                case "commands" -> commands();
                case "sleeps" -> sleeps();
                case "jvms" -> jvms();
                case "pool" -> WarmPoolRow.rows(scratch);
                case "bookkeeping" -> Bookkeeping.rows(scratch);
                case "store" -> store();
                case "faults" -> FaultMatrix.run(scratch);
                case "big" -> BigRuns.rows(scratch, false);
                case "million" -> BigRuns.rows(scratch, true);
                default -> throw new IllegalArgumentException("unknown row '" + row + "'; rows: commands, sleeps, jvms, pool,"
                        + " bookkeeping, store, faults, big, million");
            }
        }
    }

    /** (a) 2,000 trivial programs at 2 slots, against xargs -P2 and (when installed) GNU parallel -j2. */
    private static void commands() throws Exception {
        int count = 2000;
        runCommands(200); // warm-up
        double ours = median(3, () -> count / runCommands(count));
        double xargs = median(3, () -> count / shell("seq " + count + " | xargs -P2 -n1 true"));
        row("(a) 2,000 x true at 2 slots: taylorism tasks/s", String.format(Locale.ROOT, "%.0f", ours), "");
        row("(a) 2,000 x true at 2 slots: xargs -P2 tasks/s", String.format(Locale.ROOT, "%.0f", xargs), "");
        row("(a) ratio taylorism / xargs -P2", String.format(Locale.ROOT, "%.2f", ours / xargs), ">= 0.60");
        Path floor = compileFloor();
        if (floor == null) {
            row("(a) floor: a C program, posix_spawn only", "no C compiler", "");
        } else {
            // The same 2,000 programs, each with its stdout and stderr to new files, as every taylorism launch keeps them.
            double floorRate = median(3, () -> count / Double.parseDouble(
                    output(floor.toString(), Integer.toString(count), Files.createTempDirectory(scratch, "floor-").toString(), "true").strip()));
            row("(a) floor: a C program, posix_spawn to new files: tasks/s", String.format(Locale.ROOT, "%.0f", floorRate), "");
            row("(a) ratio taylorism / the floor", String.format(Locale.ROOT, "%.2f", ours / floorRate), ">= 0.80");
        }
        if (onPath("parallel")) {
            double parallel = median(1, () -> count / shell("seq " + count + " | parallel -j2 true"));
            row("(a) 2,000 x true at 2 slots: GNU parallel -j2 tasks/s", String.format(Locale.ROOT, "%.0f", parallel), "");
            row("(a) ratio taylorism / GNU parallel -j2", String.format(Locale.ROOT, "%.2f", ours / parallel), ">= 2.50");
        } else {
            row("(a) GNU parallel", "not installed", "");
        }
    }

    /** Seconds to run {@code count} {@code true} programs at 2 slots through a Boss. */
    private static double runCommands(int count) throws Exception {
        return runCommands(count, null);
    }

    /** The same, recorded in {@code store} when it is not null. */
    private static double runCommands(int count, JdbcRunStore store) throws Exception {
        List<Map<String, Object>> sets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sets.add(Map.of("command", List.of("true")));
        }
        Boss.Builder builder = Boss.builder().scheduler(Scheduler.maxThreads(2));
        return timedRun(store == null ? builder : builder.store(store), sets);
    }

    /** (b) 20 x sleep 0.1 at 2 slots: the makespan against the ideal 1.000 s. */
    private static void sleeps() throws Exception {
        Measure oneRun = () -> {
            List<Map<String, Object>> sets = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sets.add(Map.of("command", List.of("sleep", "0.1")));
            }
            Path runDirectory = Files.createTempDirectory(scratch, "run-");
            try (Boss boss = Boss.builder().scheduler(Scheduler.maxThreads(2)).runDirectory(runDirectory).build()) {
                boss.addInstructions(sets);
                boss.makeThemWork();
                Report report = boss.waitTillFinished();
                check(report, 20);
                Instant first = report.workers().stream().map(WorkerReport::startedAt).min(Comparator.naturalOrder()).orElseThrow();
                Instant last = report.workers().stream().map(WorkerReport::endedAt).max(Comparator.naturalOrder()).orElseThrow();
                return Duration.between(first, last).toNanos() / 1e9;
            }
        };
        // A fresh Boss JVM compiles its per-task code during its first runs, and on 2 cores the compiler threads
        // then delay the children's own start: each warm-up run is shown, the target is on the runs after.
        List<String> warming = untilJitSettles("(b)", 20, 3, oneRun).stream().map(s -> String.format(Locale.ROOT, "%.3f", s)).toList();
        row("(b) warming up: makespan s of each run until the JIT settles", String.join(" ", warming), "");
        double makespan = median(5, oneRun);
        row("(b) 20 x sleep 0.1 at 2 slots: makespan s (ideal 1.000)", String.format(Locale.ROOT, "%.3f", makespan), "<= 1.020");
        double xargs = median(5, () -> shell("seq 20 | xargs -P2 -I{} sleep 0.1"));
        row("(b) the same with xargs -P2: wall s (its own start included)", String.format(Locale.ROOT, "%.3f", xargs), "");
        Path floor = compileFloor();
        if (floor == null) {
            row("(b) floor: a C program, posix_spawn only", "no C compiler", "");
        } else {
            double best = median(5, () -> Double.parseDouble(output(floor.toString(), "20", "-", "sleep", "0.1").strip()));
            row("(b) floor: a C program, posix_spawn only: makespan s", String.format(Locale.ROOT, "%.3f", best), "");
            // Every launcher that keeps each task's output creates two files per start, on the critical path.
            double withFiles = median(5, () -> Double.parseDouble(
                    output(floor.toString(), "20", Files.createTempDirectory(scratch, "floor-").toString(), "sleep", "0.1").strip()));
            row("(b) floor with each run's stdout and stderr to new files: makespan s", String.format(Locale.ROOT, "%.3f", withFiles), "");
        }
    }

    /** The floor program of row (b), built with the machine's C compiler, or null without one. */
    private static Path compileFloor() throws Exception {
        Path source = scratch.resolve("launch-floor.c");
        try (var in = BenchmarkMain.class.getResourceAsStream("launch-floor.c")) {
            Files.write(source, in.readAllBytes());
        }
        Path binary = scratch.resolve("launch-floor");
        try {
            Process cc = new ProcessBuilder("cc", "-O2", "-o", binary.toString(), source.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return cc.waitFor() == 0 ? binary : null;
        } catch (IOException noCompiler) {
            return null;
        }
    }

    /** What a program prints on standard output. */
    private static String output(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String text = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("failed: " + String.join(" ", command));
        }
        return text;
    }

    /**
     * (c) 200 trivial Java workers in fresh JVMs at 2 slots: against xargs -P2 starting the same JVM command
     * on the same task files, and with the class-data archive against default flags.
     */
    private static void jvms() throws Exception {
        int count = 200;
        Path work = Files.createTempDirectory(scratch, "jvms-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = Path.of(System.getProperty("java.class.path")).toAbsolutePath().toString();
        List<String> lines = taskFiles(work, count);
        String bareCommand = "xargs -P2 -n1 " + java + " -cp " + classpath + " " + WorkerMain.class.getName();
        String emptyCommand = "xargs -P2 -n1 " + java + " -Xshare:auto -cp " + classpath + " " + EmptyMain.class.getName();
        runJavaWorkers(20, true, java); // starts building the archive in the background, if there is none yet
        awaitArchive(Path.of(classpath), ".jsa");
        runJavaWorkers(20, true, java);
        String java25 = Jdk25.java();
        if (java25 != null) {
            runJavaWorkers(20, true, java25);
            awaitArchive(Path.of(classpath), ".aot");
            runJavaWorkers(20, true, java25);
        }
        // Four rounds of 50 of each, interleaved: this machine's speed drifts by tens of percent within minutes,
        // and a slow minute then falls on every variant alike instead of on one of them.
        double bare = 0;
        double empty = 0;
        double plain = 0;
        double archived = 0;
        double plain25 = 0;
        double cached25 = 0;
        List<String> roundOverheads = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            List<String> slice = lines.subList(round * 50, round * 50 + 50);
            Path sliceFile = work.resolve("tasks-" + round);
            Files.write(sliceFile, slice);
            double roundBare = shell(bareCommand + " < " + sliceFile);
            empty += shell(emptyCommand + " < " + sliceFile);
            double roundPlain = runJavaWorkers(50, false, java);
            archived += runJavaWorkers(50, true, java);
            if (java25 != null) {
                plain25 += runJavaWorkers(50, false, java25);
                cached25 += runJavaWorkers(50, true, java25);
            }
            bare += roundBare;
            plain += roundPlain;
            roundOverheads.add(String.format(Locale.ROOT, "%+.0f%%", (roundPlain / roundBare - 1) * 100));
        }
        // Each round's own figure shows how much of the total a slow spell of this machine made.
        row("(c) overhead in each round of 50", String.join(" ", roundOverheads), "");
        row("(c) 200 fresh JVMs at 2 slots: xargs -P2 same command, s", String.format(Locale.ROOT, "%.2f", bare), "");
        row("(c) 200 fresh JVMs at 2 slots: taylorism default flags, s", String.format(Locale.ROOT, "%.2f", plain), "");
        row("(c) overhead over bare JVM starts", String.format(Locale.ROOT, "%+.1f%%", (plain / bare - 1) * 100), "<= +10%");
        row("(c) 200 fresh JVMs at 2 slots: taylorism with archive, s", String.format(Locale.ROOT, "%.2f", archived), "");
        row("(c) speed-up of the class-data archive", String.format(Locale.ROOT, "%.2fx", plain / archived), ">= 2.50x");
        row("(c) floor: 200 JVMs running an empty main, xargs -P2, s", String.format(Locale.ROOT, "%.2f", empty), "");
        row("(c) best possible speed-up (default flags / empty main)", String.format(Locale.ROOT, "%.2fx", plain / empty), "");
        if (java25 == null) {
            row("(c) JDK 25's AOT cache", "no JDK 25 in /usr/lib/jvm", "");
            return;
        }
        row("(c) the same on JDK 25 (" + java25 + "): default flags, s", String.format(Locale.ROOT, "%.2f", plain25), "");
        row("(c) the same on JDK 25: with its AOT cache, s", String.format(Locale.ROOT, "%.2f", cached25), "");
        row("(c) speed-up of JDK 25's AOT cache (JDK 17's archive above)", String.format(Locale.ROOT, "%.2fx", plain25 / cached25), "");
    }

    /** {@code count} task files as a Boss writes them, field bindings included: the same work for xargs and taylorism. */
    private static List<String> taskFiles(Path work, int count) throws IOException {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path task = work.resolve("task-" + i + ".json");
            Files.writeString(task, "{\"workerClass\":\"" + WorkerMain.Training.class.getName() + "\",\"name\":\"t" + i
                    + "\",\"ticket\":0,\"values\":{\"training\":[" + i + "]},\"resultFile\":\"" + work.resolve("result-" + i + ".json")
                    + "\",\"watchStdin\":false,\"fields\":{\"training\":\"" + WorkerMain.Training.class.getName() + "#training\"}}");
            files.add(task.toString());
        }
        return files;
    }

    /**
     * Waits (up to 2 minutes) for a class-data archive newer than the class path's jar (the training runs in
     * the background; an archive built earlier for this very jar counts).
     */
    private static void awaitArchive(Path jar, String extension) throws Exception {
        Path cds = UserDirectories.cache("cds");
        long since = Files.getLastModifiedTime(jar).toMillis();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.isDirectory(cds)) {
                try (Stream<Path> files = Files.list(cds)) {
                    if (files.anyMatch(f -> f.toString().endsWith(extension) && f.toFile().lastModified() >= since)) {
                        return;
                    }
                }
            }
            Thread.sleep(200); // a benchmark harness, not the Boss: waiting on a file here is fine
        }
        row("(c) class-data archive " + extension, "not built", "");
    }

    private static double runJavaWorkers(int count, boolean archive, String java) throws Exception {
        return timedRun(Boss.builder().scheduler(Scheduler.maxThreads(2)).classDataSharing(archive).javaExecutable(java)
                .registry(WorkerRegistry.builder().register(WorkerMain.Training.class).build()), trainingSets(count));
    }

    static List<Map<String, Object>> trainingSets(int count) {
        List<Map<String, Object>> sets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sets.add(Map.of("training", List.of(i)));
        }
        return sets;
    }

    interface Measure {
        double run() throws Exception;
    }

    /**
     * (f) What recording every run costs: the command and warm-pool throughput of (a) and (d) with the run store
     * on, as ratios to the same with it off, measured in turns in the same JVM (the pool's in {@link StorePoolRow}).
     */
    private static void store() throws Exception {
        try (JdbcRunStore store = JdbcRunStore.open(scratch.resolve("state").resolve("runs.db"))) {
            // Warm until this JVM's compilers are done with both paths: a 4-second run measures C2 otherwise.
            untilJitSettles("(f)", 20, 3, () -> 400 / runCommands(400, null) + 400 / runCommands(400, store));
            // Pairs of runs back to back, off then on, and the median of their ratios: what this machine is doing meanwhile
            // (its throughput of fresh processes drifts by tens of percent over minutes) weighs on both runs of a pair.
            List<Double> off = new ArrayList<>();
            List<Double> on = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int turn = 0; turn < 11; turn++) {
                off.add(1000 / runCommands(1000, null));
                on.add(1000 / runCommands(1000, store));
                ratios.add(on.get(turn) / off.get(turn));
            }
            row("(f) 11 x (1,000 x true at 2 slots): tasks/s, store off / on", String.format(Locale.ROOT, "%.0f / %.0f", middle(off),
                    middle(on)), "");
            row("(f) commands with the store, ratio to without (median of pairs)", String.format(Locale.ROOT, "%.2f", middle(ratios)),
                    ">= 0.95");
            pairRatios("(f)", ratios);
        }
        StorePoolRow.rows(scratch, scratch.resolve("state").resolve("runs.db"), "(f)");
        StorePoolRow.withWarmHeap(scratch);
    }

    /** The CPU time so far of this JVM's live threads whose names start with {@code prefix}. */
    static long cpuNanosOfThreads(String prefix) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(prefix)) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
        }
        return total;
    }

    static String rates(List<Double> figures) {
        return String.join(" ", figures.stream().map(rate -> String.format(Locale.ROOT, "%.0f", rate)).toList());
    }

    /** Pair ratios further apart than this (highest over lowest) say the machine was too noisy for the row. */
    private static final double NOISY_SPREAD = 2.0;

    /** Prints the ratios of a row's pairs, and says when they spread too far for the row to be trusted. */
    static void pairRatios(String label, List<Double> ratios) {
        OUT.println("    " + label + " ratios of the pairs: " + String.join(" ", ratios.stream()
                .map(ratio -> String.format(Locale.ROOT, "%.2f", ratio)).toList()));
        double spread = ratios.stream().mapToDouble(Double::doubleValue).max().orElse(1)
                / ratios.stream().mapToDouble(Double::doubleValue).min().orElse(1);
        if (spread > NOISY_SPREAD) {
            OUT.printf(Locale.ROOT, "    %s too noisy to trust: the pair ratios spread %.1fx (over %.1fx)%n", label, spread, NOISY_SPREAD);
        }
    }

    static double middle(List<Double> figures) {
        List<Double> sorted = new ArrayList<>(figures);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /**
     * Runs {@code measure} until the last {@code window} runs together spent under 5 % of their time with this JVM
     * compiling (at most {@code limit} runs) and returns each run's figure. Warm means the JIT compilers are done, not a
     * fixed count: on 2 cores, C2 compiling the Boss's per-task code takes most of a core for its first tens of thousands
     * of tasks, and a figure taken then measures the compiler. A short window is not enough where runs are short: the
     * warm pool's batches (0.05–0.1 s each) saw three quiet ones in a row after 6–25 batches while C2 went on compiling
     * for 100 more (50–200 ms of compiling per batch), and the Boss thread's cost per task fell from 18 to 8 µs over them.
     */
    static List<Double> untilJitSettles(String row, int limit, int window, Measure measure) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        List<Double> figures = new ArrayList<>();
        long[] compiling = new long[window];
        double[] running = new double[window];
        for (int i = 0; i < limit; i++) {
            long compiledBefore = jit.getTotalCompilationTime();
            long start = System.nanoTime();
            figures.add(measure.run());
            running[i % window] = (System.nanoTime() - start) / 1e6;
            compiling[i % window] = jit.getTotalCompilationTime() - compiledBefore;
            if (i + 1 >= window && Arrays.stream(compiling).sum() < 0.05 * Arrays.stream(running).sum()) {
                return figures;
            }
        }
        row(row + " warm-up: the JIT was still compiling after", limit + " runs", "");
        return figures;
    }

    /** {@code figures} as the medians of each {@code group} in turn (the last group may be shorter), for a long warm-up. */
    static String mediansOf(List<Double> figures, int group) {
        List<String> medians = new ArrayList<>();
        for (int from = 0; from < figures.size(); from += group) {
            medians.add(String.format(Locale.ROOT, "%.0f", middle(figures.subList(from, Math.min(figures.size(), from + group)))));
        }
        return String.join(" ", medians);
    }

    private static double median(int times, Measure measure) throws Exception {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            values.add(measure.run());
        }
        values.sort(null);
        return values.get(values.size() / 2);
    }

    /** Seconds a shell command line takes. */
    private static double shell(String commandLine) throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder("bash", "-c", commandLine).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("failed: " + commandLine);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    static boolean onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }

    /** Seconds a Boss built by {@code builder} takes to run {@code sets}, from RESUME to the final report. */
    static double timedRun(Boss.Builder builder, List<Map<String, Object>> sets) throws Exception {
        Path runDirectory = Files.createTempDirectory(scratch, "run-");
        try (Boss boss = builder.runDirectory(runDirectory).build()) {
            boss.addInstructions(sets);
            long start = System.nanoTime();
            boss.makeThemWork();
            Report report = boss.waitTillFinished();
            double seconds = (System.nanoTime() - start) / 1e9;
            check(report, sets.size());
            return seconds;
        }
    }

    private static void check(Report report, int count) {
        if (report.counts().get("succeeded") != count) {
            throw new IllegalStateException("a benchmark run lost workers: " + report.counts());
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    static void row(String benchmark, String figure, String target) {
        OUT.printf(Locale.ROOT, "%-58s %14s %14s%n", benchmark, figure, target);
        OUT.flush();
    }
}
