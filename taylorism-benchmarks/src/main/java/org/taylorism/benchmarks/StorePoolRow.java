package org.taylorism.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.taylorism.store.JdbcRunStore;

/**
 * The warm-pool half of row (f): batches of {@link ServingPool} with the run store off and on, in turns, and the
 * median of the ratios of the pairs. A batch with the store on ends when what it recorded is written: ended at its last
 * task, it would leave the writer's last transaction to fall in the batch after it, one with the store off, which
 * then paid for the other's store (the ratio came out at 1.04 in one run). Run twice: in the harness's JVM, and in a
 * JVM of its own with the Bosses' heap committed and touched at its start ({@link WarmPoolRow#WARM_HEAP}, as (d)'s).
 * In the first, the first pass of either Boss through new heap pays the kernel's page faults (the same batch then
 * costs its Boss thread up to five times the CPU), which lands on off and on batches alike and by chance; the second
 * measures what the store itself costs.
 */
final class StorePoolRow {

    private static final int TURNS = 15;
    /**
     * Tasks per batch: five times (d)'s. Each batch with the store ends when its records are written, and its last
     * transaction then runs while the pool is idle, not beside its work as in a long run; the longer the batch, the
     * smaller the part of its time that last transaction is.
     */
    private static final int BATCH = 5 * ServingPool.COUNT;
    /** Pairs of batches to warm up in at most: as many tasks per Boss as (d)'s one Boss warms up with. */
    private static final int WARM_UP_LIMIT = WarmPoolRow.WARM_UP_LIMIT * ServingPool.COUNT / BATCH;
    /**
     * The reports each Boss holds: its last two batches', alike with the store off and on. Holding every one, two
     * Bosses held over a gigabyte by the end of a long warm-up, and the collector's work on it fell on either side.
     */
    private static final int REPORTS_HELD = 2 * BATCH;

    private StorePoolRow() {
    }

    /** The rows, labelled {@code label}, with a store at {@code storeFile}. */
    static void rows(Path scratch, Path storeFile, String label) throws Exception {
        try (JdbcRunStore store = JdbcRunStore.open(storeFile);
             ServingPool without = new ServingPool(scratch, null, BATCH, REPORTS_HELD);
             ServingPool with = new ServingPool(scratch, store, BATCH, REPORTS_HELD)) {
            List<Double> warming = BenchmarkMain.untilJitSettles(label, WARM_UP_LIMIT, WarmPoolRow.WARM_UP_WINDOW / 2,
                    () -> without.batch() + with.batch());
            BenchmarkMain.row(label + " warming up: " + warming.size() + " pairs of pool batches of " + BATCH
                    + " (until the JIT settles, at most " + WARM_UP_LIMIT + ")", "", "");
            List<Double> off = new ArrayList<>();
            List<Double> on = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            long writerCpu = BenchmarkMain.cpuNanosOfThreads("taylorism-store-");
            long bossCpuOff = without.bossCpuNanos();
            long bossCpuOn = with.bossCpuNanos();
            for (int turn = 0; turn < TURNS; turn++) {
                off.add(without.batch());
                on.add(with.batch());
                ratios.add(on.get(turn) / off.get(turn));
            }
            writerCpu = BenchmarkMain.cpuNanosOfThreads("taylorism-store-") - writerCpu;
            double tasks = TURNS * BATCH;
            BenchmarkMain.row(label + " CPU µs per pool task: Boss thread off / on; store writer", String.format(Locale.ROOT,
                    "%.1f / %.1f; %.1f", (without.bossCpuNanos() - bossCpuOff) / 1e3 / tasks, (with.bossCpuNanos() - bossCpuOn) / 1e3 / tasks,
                    writerCpu / 1e3 / tasks), "");
            System.out.println("    " + label + " batches off: " + BenchmarkMain.rates(off) + "; on: " + BenchmarkMain.rates(on));
            BenchmarkMain.row(label + " warm pool, tasks/s, store off / on", String.format(Locale.ROOT, "%.0f / %.0f",
                    BenchmarkMain.middle(off), BenchmarkMain.middle(on)), "");
            BenchmarkMain.row(label + " warm pool with the store, ratio to without (median of pairs)", String.format(Locale.ROOT, "%.2f",
                    BenchmarkMain.middle(ratios)), ">= 0.90");
            BenchmarkMain.pairRatios(label, ratios);
        }
    }

    /** The rows again, in a JVM of its own with the Boss's heap committed and touched at its start. */
    static void withWarmHeap(Path scratch) throws IOException, InterruptedException {
        WarmPoolRow.inWarmHeapJvm(StorePoolRow.class, scratch, "(f, warm heap)", WarmPoolRow.WARM_HEAP);
    }

    /** Run by {@link #withWarmHeap}: the rows, in this JVM. */
    public static void main(String[] args) throws Exception {
        Path scratch = Path.of(args[0]);
        rows(scratch, scratch.resolve("state").resolve("runs-warm-heap.db"), "(f, warm heap)");
    }
}
