package org.taylorism.benchmarks;

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
 * Row (e): the Boss's own cost per task with a launcher that does nothing, the heap a pending set takes, and the cost
 * of a flow of 100 stages.
 */
final class Bookkeeping {

    private Bookkeeping() {
    }

    /** (e) The Boss's own cost per task with a launcher that does nothing, and the heap a pending set takes. */
    static void rows(Path scratch) throws Exception {
        Map<String, Scheduler> schedulers = Map.of("max-threads(2)", Scheduler.maxThreads(2), "laxist", Schedulers.laxist());
        for (String name : List.of("max-threads(2)", "laxist")) {
            BenchmarkMain.untilJitSettles("(e) " + name, 20, 3, () -> bookkeeping(scratch, 10_000, schedulers.get(name), false).runMicrosPerTask());
            for (int count : new int[] {10_000, 100_000}) {
                // Medians of three: a 10,000-set run lasts a tenth of a second, which one burst of this
                // machine's steal time can double.
                List<Figures> runs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    runs.add(bookkeeping(scratch, count, schedulers.get(name), i == 0));
                }
                BenchmarkMain.row(String.format(Locale.ROOT, "(e) %s, %,d sets: Boss µs per task", name, count),
                        String.format(Locale.ROOT, "%.2f", medianOf(runs, Figures::runMicrosPerTask)), "<= 20");
                BenchmarkMain.row(String.format(Locale.ROOT, "(e) %s, %,d sets: submit µs per set (matching)", name, count),
                        String.format(Locale.ROOT, "%.2f", medianOf(runs, Figures::submitMicrosPerSet)), "-");
                BenchmarkMain.row(String.format(Locale.ROOT, "(e) %s, %,d sets: heap bytes per pending set", name, count),
                        String.format(Locale.ROOT, "%,d", runs.get(0).heapBytesPerSet()), "<= 1024");
            }
        }
        // A flow: 100 stages of 100 sets, each set waiting for every set of the stage before ("s41-*").
        List<Figures> flows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            flows.add(bookkeeping(scratch, stagedSets(100, 100), Scheduler.maxThreads(2), false));
        }
        BenchmarkMain.row("(e) max-threads(2), 10,000 sets in 100 stages: Boss µs per task",
                String.format(Locale.ROOT, "%.2f", medianOf(flows, Figures::runMicrosPerTask)), "<= 20");
        BenchmarkMain.row("(e) max-threads(2), 10,000 sets in 100 stages: submit µs per set",
                String.format(Locale.ROOT, "%.2f", medianOf(flows, Figures::submitMicrosPerSet)), "-");
    }

    /** {@code stages} stages of {@code width} trivial sets, each waiting for every set of the stage before. */
    private static List<Map<String, Object>> stagedSets(int stages, int width) {
        List<Map<String, Object>> sets = new ArrayList<>(stages * width);
        for (int stage = 0; stage < stages; stage++) {
            for (int i = 0; i < width; i++) {
                Map<String, Object> set = new java.util.HashMap<>();
                set.put("command", List.of("true"));
                set.put("name", "s" + stage + "-" + i);
                if (stage > 0) {
                    set.put("after", "s" + (stage - 1) + "-*");
                }
                sets.add(set);
            }
        }
        return sets;
    }

    /** One bookkeeping run's figures; the heap figure only when measured (it costs full collections). */
    private record Figures(double runMicrosPerTask, double submitMicrosPerSet, long heapBytesPerSet) {
    }

    private static double medianOf(List<Figures> runs, java.util.function.ToDoubleFunction<Figures> figure) {
        return runs.stream().mapToDouble(figure).sorted().toArray()[runs.size() / 2];
    }

    private static Figures bookkeeping(Path scratch, int count, Scheduler scheduler, boolean measureHeap) throws Exception {
        List<Map<String, Object>> sets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sets.add(Map.of("command", List.of("true")));
        }
        return bookkeeping(scratch, sets, scheduler, measureHeap);
    }

    private static Figures bookkeeping(Path scratch, List<Map<String, Object>> sets, Scheduler scheduler, boolean measureHeap) throws Exception {
        int count = sets.size();
        Path runDirectory = Files.createTempDirectory(scratch, "run-");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (Boss boss = Boss.builder().scheduler(scheduler).launcher(new NoOpLauncher()).runDirectory(runDirectory).build()) {
            // Only measured runs pay for the full collections of the heap figure: in a warm-up they would
            // dilute the JIT's share of the time.
            long heapBefore = measureHeap ? usedHeapAfterGc(memory) : 0;
            long submitStart = System.nanoTime();
            boss.addInstructions(sets);
            boss.getReport(true); // the batch has reached the Boss
            long submitNanos = System.nanoTime() - submitStart;
            long heapPending = measureHeap ? usedHeapAfterGc(memory) - heapBefore : 0;

            long runStart = System.nanoTime();
            boss.makeThemWork();
            Report report = boss.waitTillFinished();
            long runNanos = System.nanoTime() - runStart;
            if (report.counts().get("succeeded") != count) {
                throw new IllegalStateException("bookkeeping run lost workers: " + report.counts());
            }
            return new Figures(runNanos / 1000.0 / count, submitNanos / 1000.0 / count, heapPending / count);
        }
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

}
