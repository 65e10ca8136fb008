package org.taylorism.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.taylorism.Boss;
import org.taylorism.BossListener;
import org.taylorism.Scheduler;
import org.taylorism.WorkerRegistry;
import org.taylorism.WorkerReport;
import org.taylorism.internal.child.WorkerMain;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.store.JdbcRunStore;

/**
 * A Boss serving batch after batch of trivial Java tasks to a warm pool at 2 slots, its run recorded in {@code store} or
 * not. Row (f)'s batches end once what they recorded is written: the store's writer lingers before it writes, and the
 * writing of one batch's records would otherwise fall in the batch that follows.
 */
final class ServingPool implements AutoCloseable {
    /** Row (d)'s batch: Python's pool is given as many. */
    static final int COUNT = 2000;
    // One latch per batch: it wakes the waiting thread once, at the batch's end, not at every task.
    private final AtomicReference<CountDownLatch> batchEnd = new AtomicReference<>(new CountDownLatch(0));
    private final Boss boss;
    private final JdbcRunStore store;
    private final String runId;
    private final int count;
    /** Whether a batch ends only once its records are written (row (f)), not at its last end. */
    private final boolean endsWritten;
    /** The Boss thread's id: listeners are called on it. */
    private volatile long bossThread = -1;
    private int batches;

    /** Row (d)'s: batches of {@link #COUNT}, each ended at its last end; its Boss holds every report. */
    ServingPool(Path scratch, JdbcRunStore store) throws IOException {
        this(scratch, store, COUNT, 0, false);
    }

    /**
     * Row (f)'s: each batch ends once its Boss has handed the store (if any) the records of its last round, and the
     * store has written them; with no store, once its Boss answered the same question.
     *
     * @param count the tasks of each batch
     * @param reportsHeld how many reports of ended sets its Boss holds ({@code retainEnded})
     */
    ServingPool(Path scratch, JdbcRunStore store, int count, int reportsHeld) throws IOException {
        this(scratch, store, count, reportsHeld, true);
    }

    /** @param reportsHeld 0 for all */
    private ServingPool(Path scratch, JdbcRunStore store, int count, int reportsHeld, boolean endsWritten) throws IOException {
        Boss.Builder builder = Boss.builder().scheduler(Scheduler.maxThreads(2)).launcher(WorkerLauncher.warmPool(2, 1_000_000))
                .registry(WorkerRegistry.builder().register(WorkerMain.Training.class).build())
                .runDirectory(Files.createTempDirectory(scratch, "run-"))
                .listener(new BossListener() {
                    @Override
                    public void succeeded(WorkerReport worker) {
                        bossThread = Thread.currentThread().getId();
                        batchEnd.get().countDown();
                    }
                });
        if (reportsHeld > 0) {
            builder.retainEnded(reportsHeld, null);
        }
        boss = (store == null ? builder : builder.store(store)).build();
        boss.makeThemWork();
        this.store = store;
        this.runId = store == null ? null : boss.interimReport().runId();
        this.count = count;
        this.endsWritten = endsWritten;
    }

    /** Tasks per second of one batch. */
    double batch() throws Exception {
        List<Map<String, Object>> sets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sets.add(Map.of("training", List.of(i), "name", "b" + batches + "-" + i));
        }
        batches++;
        CountDownLatch ended = new CountDownLatch(count);
        batchEnd.set(ended);
        long start = System.nanoTime();
        boss.addInstructions(sets);
        if (!ended.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("a pool batch did not finish: " + boss.interimReport().counts());
        }
        if (endsWritten) {
            // Answered by the Boss thread after the round that heard the last end, which hands the store its records.
            boss.interimReport();
            if (store != null) {
                store.endedReports(runId, List.of()); // returns once everything handed to the store before it is written
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /** The CPU time its Boss thread has used so far. */
    long bossCpuNanos() {
        return ManagementFactory.getThreadMXBean().getThreadCpuTime(bossThread);
    }

    @Override
    public void close() {
        boss.close();
    }
}
