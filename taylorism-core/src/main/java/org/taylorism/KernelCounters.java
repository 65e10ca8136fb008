package org.taylorism;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Counters the Linux kernel keeps that help tell why a process died. */
final class KernelCounters {

    private static final Path VMSTAT = Path.of("/proc/vmstat");

    private KernelCounters() {
    }

    /**
     * How many processes the OOM killer has killed since boot ({@code oom_kill} in /proc/vmstat, Linux 4.13+),
     * or -1 when unknown. A worker that died of SIGKILL while this rose was likely one of them.
     */
    static long oomKills() {
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
