package org.taylorism.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.taylorism.Boss;
import org.taylorism.BossListener;
import org.taylorism.Report;
import org.taylorism.Scheduler;
import org.taylorism.WorkerReport;
import org.taylorism.store.JdbcRunStore;

/**
 * Row (g): memory at scale. The Boss's heap per finished set, in-process with a launcher that does nothing (with a
 * run store and without); and {@code taylorism run} of many trivial command sets from a JSON Lines file, and of a
 * 50 MB batch, in a JVM of its own, whose peak resident memory ({@code VmHWM}) is read while it runs.
 */
final class BigRuns {

    /** Sets fed to the in-process Boss at a time: a caller with a million sets feeds them as they end. */
    private static final int CHUNK = 10_000;

    private BigRuns() {
    }

    /** The rows; with {@code million}, the 1,000,000-set run too (about an hour at this machine kind's speed). */
    static void rows(Path scratch, boolean million) throws Exception {
        heapPerFinishedSet(scratch, true);
        heapPerFinishedSet(scratch, false);
        // The command line as users start it: its script chooses the Boss JVM's options.
        Path script = Path.of("taylorism-cli", "target", "taylorism");
        if (!Files.isExecutable(script)) {
            BenchmarkMain.row("(g) taylorism run", "no " + script + " (run from the repository, after mvn package)", "");
            return;
        }
        List<Integer> counts = new ArrayList<>(List.of(10_000, 100_000));
        if (million) {
            counts.add(1_000_000);
        }
        CliRun first = null;
        for (int count : counts) {
            CliRun run = cliRun(scratch, script, trivialBatch(scratch, count), "-j", "2");
            first = first == null ? run : first;
            BenchmarkMain.row(String.format(Locale.ROOT, "(g) run of %,d x true at -j 2: tasks/s", count),
                    String.format(Locale.ROOT, "%.0f", count / run.seconds()), count == counts.get(0) ? "-" : ">= 0.9x the first");
            BenchmarkMain.row(String.format(Locale.ROOT, "(g) run of %,d x true at -j 2: Boss peak RSS MB", count),
                    Long.toString(run.peakRssMb()), count == counts.get(0) ? "-" : "< 512, <= 1.5x the first");
        }
        CliRun big = cliRun(scratch, script, fiftyMegabyteBatch(scratch), "-j", "2");
        BenchmarkMain.row("(g) a 50 MB batch (40,000 sets): Boss peak RSS MB", Long.toString(big.peakRssMb()), "-");
        BenchmarkMain.row("(g) a 50 MB batch (40,000 sets): report MB", String.format(Locale.ROOT, "%.1f", big.reportBytes() / 1e6), "-");
    }

    /**
     * The heap that each finished set leaves in the Boss: used heap after full collections once 20,000 sets ended,
     * then once 120,000 did, fed {@value #CHUNK} at a time as they end.
     */
    private static void heapPerFinishedSet(Path scratch, boolean withStore) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Semaphore ended = new Semaphore(0);
        Path runDirectory = Files.createTempDirectory(scratch, "run-");
        Boss.Builder builder = Boss.builder().scheduler(Scheduler.maxThreads(2)).launcher(new NoOpLauncher()).runDirectory(runDirectory)
                .listener(new BossListener() {
                    @Override
                    public void ended(WorkerReport report) {
                        ended.release();
                    }
                });
        JdbcRunStore store = withStore ? JdbcRunStore.open(scratch.resolve("heap-" + System.nanoTime() + ".db")) : null;
        if (store != null) {
            builder.store(store).recordedAs("heap", Map.of()).retainEnded(10_000, null);
        }
        try (store; Boss boss = builder.build()) {
            boss.makeThemWork();
            int fed = 0;
            long at20k = 0;
            for (int chunk = 0; chunk < 12; chunk++) {
                List<Map<String, Object>> sets = new ArrayList<>(CHUNK);
                for (int i = 0; i < CHUNK; i++) {
                    sets.add(Map.of("name", "set-" + fed++, "command", List.of("true")));
                }
                boss.addInstructions(sets);
                if (!ended.tryAcquire(CHUNK, 10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the Boss did not end " + CHUNK + " sets within 10 minutes");
                }
                if (chunk == 1) {
                    at20k = usedHeapAfterGc(memory, store, boss);
                }
            }
            long at120k = usedHeapAfterGc(memory, store, boss);
            BenchmarkMain.row("(g) Boss heap per finished set, " + (withStore ? "with a store (10,000 held)" : "no store (all held)")
                    + ": bytes", String.format(Locale.ROOT, "%,d", (at120k - at20k) / 100_000), withStore ? "<= 300" : "-");
            boss.end();
            Report report = boss.waitTillFinished();
            if (report.counts().get("succeeded") != 12 * CHUNK) {
                throw new IllegalStateException("the heap run lost sets: " + report.counts());
            }
        }
    }

    private static long usedHeapAfterGc(MemoryMXBean memory, JdbcRunStore store, Boss boss) throws Exception {
        if (store != null) {
            // Waits for the store's writer: what it has yet to write is not what the Boss holds.
            store.endedReports(boss.interimReport().runId(), List.of());
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static Path trivialBatch(Path scratch, int count) throws IOException {
        Path file = scratch.resolve("true-" + count + ".jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < count; i++) {
                out.write("{\"name\":\"t" + i + "\",\"command\":[\"true\"]}\n");
            }
        }
        return file;
    }

    /** 40,000 sets of 1.2 kB of data each, all different (48 MB), and 4 kB of common data, as one JSON document. */
    private static Path fiftyMegabyteBatch(Path scratch) throws IOException {
        Path file = scratch.resolve("fifty.json");
        String common = "c".repeat(4096);
        String own = "i".repeat(1200);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            // The batch format's columns: individual values are lists, element i of each making set i.
            out.write("{\"common\":{\"command\":[\"true\"],\"env\":{\"COMMON_DATA\":\"" + common + "\"}},\"individual\":{\"name\":[");
            for (int i = 0; i < 40_000; i++) {
                out.write((i == 0 ? "" : ",") + "\"s" + i + "\"");
            }
            out.write("],\n\"data\":[");
            for (int i = 0; i < 40_000; i++) {
                out.write((i == 0 ? "" : ",\n") + "\"" + i + own + "\""); // each set's own: not shared
            }
            out.write("]}}\n");
        }
        return file;
    }

    private record CliRun(double seconds, long peakRssMb, long reportBytes) {
    }

    /** {@code taylorism run BATCH ARGS} through the command line's script, its store and state under {@code scratch}. */
    private static CliRun cliRun(Path scratch, Path script, Path batch, String... args) throws Exception {
        Path state = Files.createTempDirectory(scratch, "state-");
        Path report = state.resolve("report.json");
        List<String> command = new ArrayList<>(List.of(script.toString(), "run", batch.toString(), "--output", "none", "--no-progress", "--report", report.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(state.resolve("stderr").toFile());
        builder.environment().put("XDG_STATE_HOME", state.toString());
        builder.environment().put("XDG_RUNTIME_DIR", state.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long start = System.nanoTime();
        Process process = builder.start();
        long peakKib = 0;
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        while (!process.waitFor(50, TimeUnit.MILLISECONDS)) {
            peakKib = Math.max(peakKib, highWaterMarkKib(status));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (process.exitValue() != 0) {
            throw new IllegalStateException("taylorism run " + batch + " exited with " + process.exitValue() + ": "
                    + Files.readString(state.resolve("stderr")));
        }
        return new CliRun(seconds, peakKib / 1024, Files.size(report));
    }

    /** The process's peak resident memory, or 0 once it is gone. */
    private static long highWaterMarkKib(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
        return 0;
    }
}
