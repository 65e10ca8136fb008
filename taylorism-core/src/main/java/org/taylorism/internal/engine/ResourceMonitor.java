package org.taylorism.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches running workers from outside: the resident memory of each worker's process tree (its session,
 * since workers start through setsid, plus its descendants), and whether it still writes output. One
 * thread, {@code taylorism-monitor-N}, reads /proc once per tick for all workers, keeps each tree's peak,
 * and tells the Boss (through its inbox) when a tree goes over its memory limit or stalls. Where there is
 * no /proc, nothing is sampled and the figures stay unknown.
 */
final class ResourceMonitor implements AutoCloseable {

    /** What the monitor tells the Boss; called on the monitor thread. */
    interface Alarm {
        void memoryExceeded(long id, int attempt, long rssMb);

        void stalled(long id, int attempt, Duration quiet);
    }

    /**
     * What to watch for one running worker; {@code limitMb} and {@code stall} may be null. The pid is asked
     * for at each tick: a launcher may learn it after the launch. {@code local} says that the pid is the
     * worker's own process tree on this machine, whose memory is sampled (not a wrapping srun); {@code runs}
     * says whether it runs yet (a cluster job may wait in a queue, where its silence is no stall).
     */
    record Watch(long id, int attempt, java.util.function.Supplier<java.util.OptionalLong> pid, boolean local,
                 java.util.function.BooleanSupplier runs, Path stdout, Path stderr, Long limitMb, Duration stall) {
    }

    private static final Logger log = LoggerFactory.getLogger(ResourceMonitor.class);
    private static final Path PROC = Path.of("/proc");
    private static final boolean HAS_PROC = Files.isDirectory(PROC);
    private static final long PAGE_KB = pageSizeKb();

    private static final class Watched {
        final Watch watch;
        volatile long peakKb = -1;
        long lastSize = -1;
        volatile long lastChangeNanos = System.nanoTime();
        volatile boolean paused;
        boolean alarmed;

        Watched(Watch watch) {
            this.watch = watch;
        }
    }

    private record Proc(long pid, long ppid, long session, long rssKb) {
    }

    private final Map<Long, Watched> watched = new ConcurrentHashMap<>();
    private final Alarm alarm;
    private final Duration interval;
    private final String threadName;
    private ScheduledExecutorService ticker;
    private boolean closed;

    /** A monitor that samples nothing and starts no thread: for decisions tested without processes. */
    static ResourceMonitor disabled() {
        ResourceMonitor monitor = new ResourceMonitor(null, Duration.ofSeconds(1), "taylorism-monitor-disabled");
        monitor.closed = true;
        return monitor;
    }

    ResourceMonitor(Alarm alarm, Duration interval, String threadName) {
        this.alarm = alarm;
        this.interval = interval;
        this.threadName = threadName;
    }

    synchronized void watch(Watch watch) {
        if (closed || !HAS_PROC) {
            return;
        }
        watched.put(watch.id(), new Watched(watch));
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, threadName);
                thread.setDaemon(true);
                return thread;
            });
            ticker.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Stops watching; returns the peak seen in KiB, or null when never sampled. */
    Long forget(long id) {
        Watched gone = watched.remove(id);
        return gone == null || gone.peakKb < 0 ? null : gone.peakKb;
    }

    Long peakKb(long id) {
        Watched current = watched.get(id);
        return current == null || current.peakKb < 0 ? null : current.peakKb;
    }

    void paused(long id, boolean paused) {
        Watched current = watched.get(id);
        if (current != null) {
            current.paused = paused;
            current.lastChangeNanos = System.nanoTime();
        }
    }

    private void tick() {
        if (watched.isEmpty()) {
            return;
        }
        try {
            Map<Long, Proc> processes = scan();
            Map<Long, List<Proc>> children = new HashMap<>();
            Map<Long, List<Proc>> sessions = new HashMap<>();
            for (Proc proc : processes.values()) {
                children.computeIfAbsent(proc.ppid(), k -> new ArrayList<>()).add(proc);
                sessions.computeIfAbsent(proc.session(), k -> new ArrayList<>()).add(proc);
            }
            for (Watched current : watched.values()) {
                try {
                    sample(current, processes, children, sessions);
                } catch (RuntimeException e) {
                    log.warn("Sampling worker {} failed; the others are still sampled", current.watch.id(), e);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Resource sampling failed; it will be tried again", e);
        }
    }

    private void sample(Watched current, Map<Long, Proc> processes, Map<Long, List<Proc>> children, Map<Long, List<Proc>> sessions) {
        Watch watch = current.watch;
        if (!current.alarmed && watch.local()) {
            sampleMemory(current, processes, children, sessions);
        }
        if (!current.alarmed && watch.stall() != null) {
            long size = size(watch.stdout()) + size(watch.stderr());
            long now = System.nanoTime();
            if (size != current.lastSize || current.paused || !watch.runs().getAsBoolean()) {
                current.lastSize = size;
                current.lastChangeNanos = now;
            } else if (now - current.lastChangeNanos > watch.stall().toNanos()) {
                current.alarmed = true;
                alarm.stalled(watch.id(), watch.attempt(), Duration.ofNanos(now - current.lastChangeNanos));
            }
        }
    }

    private void sampleMemory(Watched current, Map<Long, Proc> processes, Map<Long, List<Proc>> children, Map<Long, List<Proc>> sessions) {
        Watch watch = current.watch;
        java.util.OptionalLong known = watch.pid().get();
        if (known.isEmpty()) {
            return;
        }
        long root = known.getAsLong();
        Map<Long, Proc> tree = new HashMap<>();
        for (Proc member : sessions.getOrDefault(root, List.of())) {
            tree.put(member.pid(), member);
        }
        Deque<Long> toVisit = new ArrayDeque<>();
        toVisit.add(root);
        while (!toVisit.isEmpty()) {
            long pid = toVisit.poll();
            Proc proc = processes.get(pid);
            if (proc != null) {
                tree.put(pid, proc);
            }
            for (Proc child : children.getOrDefault(pid, List.of())) {
                if (!tree.containsKey(child.pid())) {
                    toVisit.add(child.pid());
                }
            }
        }
        if (tree.isEmpty()) {
            return;
        }
        long rssKb = tree.values().stream().mapToLong(Proc::rssKb).sum();
        if (rssKb > current.peakKb) {
            current.peakKb = rssKb;
        }
        if (watch.limitMb() != null && rssKb / 1024 > watch.limitMb()) {
            current.alarmed = true;
            alarm.memoryExceeded(watch.id(), watch.attempt(), rssKb / 1024);
        }
    }

    /** Every process: pid, parent, session and resident size, from /proc/PID/stat. */
    private static Map<Long, Proc> scan() {
        Map<Long, Proc> processes = new HashMap<>();
        try (Stream<Path> entries = Files.list(PROC)) {
            entries.forEach(entry -> {
                String name = entry.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    return;
                }
                try {
                    String stat = Files.readString(entry.resolve("stat"));
                    // The command name may hold spaces and parentheses: fields start after the last ')'.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(name);
                    processes.put(pid, new Proc(pid, Long.parseLong(fields[1]), Long.parseLong(fields[3]),
                            Long.parseLong(fields[21]) * PAGE_KB));
                } catch (IOException | RuntimeException gone) {
                    // the process ended while we looked
                }
            });
        } catch (IOException e) {
            log.debug("Cannot list /proc: {}", e.getMessage());
        }
        return processes;
    }

    private static long size(Path file) {
        try {
            return file == null ? 0 : Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long pageSizeKb() {
        try {
            Process getconf = new ProcessBuilder("getconf", "PAGESIZE").redirectErrorStream(true).start();
            String output = new String(getconf.getInputStream().readAllBytes()).trim();
            getconf.waitFor(5, TimeUnit.SECONDS);
            return Math.max(1, Long.parseLong(output) / 1024);
        } catch (IOException | NumberFormatException e) {
            return 4;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 4;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        watched.clear();
    }
}
