package org.taylorism.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Counters the Linux kernel keeps that help tell why a process died. */
final class KernelCounters {

    private static final Path VMSTAT = Path.of("/proc/vmstat");
    private static final long REFRESH_NANOS = 1_000_000_000L;

    private static volatile long cachedOomKills = -1;
    private static volatile long cachedAt = System.nanoTime() - 2 * REFRESH_NANOS;

    private KernelCounters() {
    }

    /**
     * How many processes the OOM killer has killed since boot ({@code oom_kill} in /proc/vmstat, Linux 4.13+),
     * or -1 when unknown. A worker that died of SIGKILL while this rose was likely one of them.
     */
    static long oomKills() {
        long value = read();
        cachedOomKills = value;
        cachedAt = System.nanoTime();
        return value;
    }

    /**
     * {@link #oomKills()} as read within the last second: what a launch records, since reading /proc/vmstat
     * at every launch would cost more than the launch of a small program.
     */
    static long recentOomKills() {
        if (System.nanoTime() - cachedAt > REFRESH_NANOS) {
            return oomKills();
        }
        return cachedOomKills;
    }

    private static long read() {
        try {
            for (String line : Files.readAllLines(VMSTAT)) {
                if (line.startsWith("oom_kill ")) {
                    return Long.parseLong(line.substring("oom_kill ".length()).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or an older kernel
        }
        return -1;
    }
}
