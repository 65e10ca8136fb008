package org.taylorism.benchmarks;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.taylorism.Boss;
import org.taylorism.Report;
import org.taylorism.Scheduler;
import org.taylorism.schedulers.Schedulers;

/**
 * Prints one table of figures measured side by side in this run. Run with
 * {@code java -jar taylorism-benchmarks/target/benchmarks.jar [ROW...]}; rows: {@code bookkeeping}.
 */
public final class BenchmarkMain {

    private static final PrintStream OUT = System.out;

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> rows = args.length == 0 ? List.of("bookkeeping") : List.of(args);
        OUT.printf(Locale.ROOT, "%-58s %14s %14s%n", "benchmark", "figure", "target");
        for (String row : rows) {
            switch (row) {
                case "bookkeeping" -> bookkeeping();
                default -> throw new IllegalArgumentException("unknown row '" + row + "'; rows: bookkeeping");
            }
        }
    }

    /** (e) The Boss's own cost per task with a launcher that does nothing, and the heap a pending set takes. */
    private static void bookkeeping() throws Exception {
        Map<String, Scheduler> schedulers = Map.of("max-threads(2)", Scheduler.maxThreads(2), "laxist", Schedulers.laxist());
        for (String name : List.of("max-threads(2)", "laxist")) {
            bookkeeping(1_000, schedulers.get(name), name, false); // warm-up
            for (int count : new int[] {10_000, 100_000}) {
                bookkeeping(count, schedulers.get(name), name, true);
            }
        }
    }

    private static void bookkeeping(int count, Scheduler scheduler, String name, boolean print) throws Exception {
        List<Map<String, Object>> sets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sets.add(Map.of("command", List.of("true")));
        }
        Path runDirectory = Files.createTempDirectory("taylorism-bench-");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (Boss boss = Boss.builder().scheduler(scheduler).launcher(new NoOpLauncher()).runDirectory(runDirectory).build()) {
            long heapBefore = usedHeapAfterGc(memory);
            long submitStart = System.nanoTime();
            boss.addInstructions(sets);
            boss.getReport(true); // the batch has reached the Boss
            long submitNanos = System.nanoTime() - submitStart;
            long heapPending = usedHeapAfterGc(memory) - heapBefore;

            long runStart = System.nanoTime();
            boss.makeThemWork();
            Report report = boss.waitTillFinished();
            long runNanos = System.nanoTime() - runStart;
            if (report.counts().get("succeeded") != count) {
                throw new IllegalStateException("bookkeeping run lost workers: " + report.counts());
            }
            if (print) {
                row(String.format(Locale.ROOT, "(e) %s, %,d sets: Boss µs per task", name, count),
                        String.format(Locale.ROOT, "%.2f", runNanos / 1000.0 / count), "<= 20");
                row(String.format(Locale.ROOT, "(e) %s, %,d sets: submit µs per set (matching)", name, count),
                        String.format(Locale.ROOT, "%.2f", submitNanos / 1000.0 / count), "-");
                row(String.format(Locale.ROOT, "(e) %s, %,d sets: heap bytes per pending set", name, count),
                        String.format(Locale.ROOT, "%,d", heapPending / count), "<= 1024");
            }
        }
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void row(String benchmark, String figure, String target) {
        OUT.printf(Locale.ROOT, "%-58s %14s %14s%n", benchmark, figure, target);
        OUT.flush();
    }
}
