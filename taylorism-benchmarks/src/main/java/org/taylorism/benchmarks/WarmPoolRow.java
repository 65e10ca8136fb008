package org.taylorism.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.taylorism.Boss;
import org.taylorism.Scheduler;
import org.taylorism.WorkerRegistry;
import org.taylorism.internal.child.PooledWorkerMain;
import org.taylorism.internal.child.WorkerMain;
import org.taylorism.spi.WorkerLauncher;

/**
 * Row (d): 2,000 trivial Java tasks at 2 slots in the warm pool, one Boss serving batch after batch as a server does,
 * side by side with Python's {@code multiprocessing.Pool(2).map(chunksize=1)} on the same trivial task: their batches
 * alternate, and the row is the median of the ratios of the pairs, so that this machine's drift (it swings by 2x within
 * minutes) weighs on both sides of each pair. Then the cold figure: a fresh Boss and pool, JVM starts included.
 */
final class WarmPoolRow {

    private static final int PAIRS = 9;
    /**
     * The serving Boss warms up until its last {@value} batches together spent under 5 % of their time compiling: its
     * JIT compiles for the first 100,000–200,000 tasks here, in bursts with quiet batches between them.
     */
    static final int WARM_UP_WINDOW = 10;
    static final int WARM_UP_LIMIT = 300;

    private WarmPoolRow() {
    }

    static void rows(Path scratch) throws Exception {
        pairs(scratch, "(d)");
        int count = 2000;
        double cold = count / BenchmarkMain.timedRun(Boss.builder().scheduler(Scheduler.maxThreads(2))
                .launcher(WorkerLauncher.warmPool(2, 100_000)).registry(WorkerRegistry.builder().register(WorkerMain.Training.class).build()),
                BenchmarkMain.trainingSets(count));
        BenchmarkMain.row("(d) the same with a fresh Boss and pool (JVM starts included): tasks/s", String.format(Locale.ROOT, "%.0f", cold), "");
        withWarmHeap(scratch);
    }

    /**
     * The pairs again, with the serving Boss in a JVM whose heap is committed and touched at its start
     * ({@value #WARM_HEAP}): the Boss holds every report, so its heap grows all along the row, and each first pass
     * through new heap pays the kernel's page faults, which made some batches cost the Boss five times the CPU of
     * the others. A Boss that has served long enough, or one started with these options, runs at this rate. The
     * heap is also capped at its start size: G1 may grow a heap beyond it, and pre-touches the new part during a
     * collection's pause (seconds, for a gigabyte, measured here).
     */
    private static void withWarmHeap(Path scratch) throws IOException, InterruptedException {
        inWarmHeapJvm(WarmPoolRow.class, scratch, "(d, warm heap)", WARM_HEAP);
    }

    /** The serving Boss's heap options in {@link #withWarmHeap}: committed and touched at the JVM's start, and capped there. */
    static final String WARM_HEAP = "-Xms2g -Xmx2g -XX:+AlwaysPreTouch";

    /** Runs the {@code main} of {@code rows} with {@code scratch} in a JVM of its own, with {@code heapOptions}. */
    static void inWarmHeapJvm(Class<?> rows, Path scratch, String label, String heapOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(List.of(heapOptions.split(" ")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), rows.getName(), scratch.toString()));
        Process child = new ProcessBuilder(command).inheritIO().start();
        if (!child.waitFor(20, java.util.concurrent.TimeUnit.MINUTES)) {
            child.destroyForcibly();
            BenchmarkMain.row(label + " rows with the Boss's heap pre-touched", "did not end in 20 min", "");
        }
    }

    /** The pairs of row (d) alone, with this JVM's options: run by {@link #withWarmHeap} in a JVM of its own. */
    public static void main(String[] args) throws Exception {
        pairs(Path.of(args[0]), "(d, warm heap)");
    }

    /** The serving pool's batches, each paired with one of Python's pool, as rows labelled {@code label}. */
    private static void pairs(Path scratch, String label) throws Exception {
        try (ServingPool pool = new ServingPool(scratch, null); PythonPool python = PythonPool.start(scratch)) {
            // The pooled JVMs stop at C1 and settle sooner than this one.
            List<Double> warming = BenchmarkMain.untilJitSettles(label, WARM_UP_LIMIT, WARM_UP_WINDOW, pool::batch);
            BenchmarkMain.row(label + " warming up: " + warming.size() + " batches of 2,000 (until the JIT settles, at most "
                    + WARM_UP_LIMIT + "); tasks/s, medians of each " + WARM_UP_WINDOW, BenchmarkMain.mediansOf(warming, WARM_UP_WINDOW), "");
            List<Double> ours = new ArrayList<>();
            List<Double> theirs = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            long[] cpu = new long[3];
            for (int pair = 0; pair < PAIRS; pair++) {
                long[] before = cpuOf(pool);
                ours.add(pool.batch());
                long[] after = cpuOf(pool);
                for (int i = 0; i < cpu.length; i++) {
                    cpu[i] += after[i] - before[i];
                }
                if (python != null) {
                    theirs.add(python.batch());
                    ratios.add(ours.get(pair) / theirs.get(pair));
                }
            }
            BenchmarkMain.row(label + " 2,000 trivial Java tasks, warm pool at 2 slots: tasks/s", String.format(Locale.ROOT, "%.0f",
                    BenchmarkMain.middle(ours)), ">= 10000");
            System.out.println("    " + label + " warm pool batches: " + BenchmarkMain.rates(ours));
            double tasks = PAIRS * ServingPool.COUNT;
            BenchmarkMain.row(label + " CPU µs per task: Boss thread / pool's reader threads / pooled JVMs", String.format(Locale.ROOT,
                    "%.0f / %.0f / %.0f", cpu[0] / 1e3 / tasks, cpu[1] / 1e3 / tasks, cpu[2] / 1e3 / tasks), "");
            if (python == null) {
                BenchmarkMain.row(label + " Python's multiprocessing.Pool(2)", "no python3", "");
            } else {
                pythonRows(label, theirs, ratios);
            }
        }
    }

    /** The CPU time so far of the serving Boss's thread, of its pool's reader threads, and of its pooled JVMs. */
    private static long[] cpuOf(ServingPool pool) {
        long jvms = ProcessHandle.current().children()
                .filter(child -> child.info().arguments().map(List::of).orElse(List.of()).contains(PooledWorkerMain.class.getName()))
                .mapToLong(WarmPoolRow::cpuNanosOf).sum();
        return new long[] {pool.bossCpuNanos(), BenchmarkMain.cpuNanosOfThreads("taylorism-pool-"), jvms};
    }

    /** A process's user and system CPU time, from /proc (in clock ticks of 10 ms); 0 when it cannot be read. */
    private static long cpuNanosOf(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static void pythonRows(String label, List<Double> theirs, List<Double> ratios) {
        BenchmarkMain.row(label + " Python multiprocessing.Pool(2).map(chunksize=1): tasks/s", String.format(Locale.ROOT, "%.0f",
                BenchmarkMain.middle(theirs)), "");
        System.out.println("    " + label + " Python batches, each right after one of ours: " + BenchmarkMain.rates(theirs));
        BenchmarkMain.row(label + " ratio warm pool / Python's pool (median of " + ratios.size() + " pairs)",
                String.format(Locale.ROOT, "%.2f", BenchmarkMain.middle(ratios)), ">= 1.00");
        BenchmarkMain.pairRatios(label, ratios);
    }

    /** Python's pool, warmed up once, running one batch per request; null where there is no {@code python3}. */
    private static final class PythonPool implements AutoCloseable {
        private final Process process;
        private final BufferedReader replies;
        private final OutputStream requests;

        private PythonPool(Process process) {
            this.process = process;
            this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.requests = process.getOutputStream();
        }

        static PythonPool start(Path scratch) throws IOException {
            if (!BenchmarkMain.onPath("python3")) {
                return null;
            }
            Path script = scratch.resolve("python-pool.py");
            try (var in = WarmPoolRow.class.getResourceAsStream("python-pool.py")) {
                Files.write(script, in.readAllBytes());
            }
            PythonPool pool = new PythonPool(new ProcessBuilder("python3", script.toString(), "2000")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
            String ready = pool.replies.readLine();
            if (!"ready".equals(ready)) {
                pool.close();
                throw new IOException("python-pool.py said " + ready + " instead of ready");
            }
            return pool;
        }

        /** Tasks per second of one batch. */
        double batch() throws IOException {
            requests.write('\n');
            requests.flush();
            String rate = replies.readLine();
            if (rate == null) {
                throw new IOException("python-pool.py ended early");
            }
            return Double.parseDouble(rate.strip());
        }

        @Override
        public void close() throws IOException {
            requests.close();
            try {
                if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
