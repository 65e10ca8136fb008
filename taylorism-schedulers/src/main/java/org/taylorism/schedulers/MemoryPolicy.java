package org.taylorism.schedulers;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * How a memory-aware scheduler counts memory.
 *
 * @param maxMb the sum of declared {@code memory} of running workers may not exceed this (MiB)
 * @param perTaskMb what a set without {@code memory} counts for (MiB)
 * @param liveHeadroom whether a set must also fit in the memory the machine has available right now
 *     ({@code MemAvailable}) minus {@code safetyMarginMb}
 * @param safetyMarginMb memory kept free when {@code liveHeadroom} is on (MiB)
 * @param maxOvertakes how many later, smaller sets may launch ahead of a set that does not fit yet, before
 *     nothing more may overtake it
 */
public record MemoryPolicy(long maxMb, long perTaskMb, boolean liveHeadroom, long safetyMarginMb, int maxOvertakes) {

    public MemoryPolicy {
        if (maxMb < 1) {
            throw new IllegalArgumentException("max memory < 1 MiB: " + maxMb);
        }
        if (perTaskMb < 0) {
            throw new IllegalArgumentException("per-task memory < 0: " + perTaskMb);
        }
        if (safetyMarginMb < 0) {
            throw new IllegalArgumentException("safety margin < 0: " + safetyMarginMb);
        }
        if (maxOvertakes < 0) {
            throw new IllegalArgumentException("max overtakes < 0: " + maxOvertakes);
        }
    }

    /** 75 % of physical memory, 2048 MiB per set without {@code memory}, no live headroom, 10 overtakes. */
    public static MemoryPolicy defaults() {
        return new MemoryPolicy(physicalMemoryMb() * 3 / 4, 2048, false, 512, 10);
    }

    public MemoryPolicy withMaxMb(long max) {
        return new MemoryPolicy(max, perTaskMb, liveHeadroom, safetyMarginMb, maxOvertakes);
    }

    public MemoryPolicy withPerTaskMb(long perTask) {
        return new MemoryPolicy(maxMb, perTask, liveHeadroom, safetyMarginMb, maxOvertakes);
    }

    /** Also require each launch to fit in the machine's available memory minus {@code marginMb}. */
    public MemoryPolicy withLiveHeadroom(long marginMb) {
        return new MemoryPolicy(maxMb, perTaskMb, true, marginMb, maxOvertakes);
    }

    public MemoryPolicy withMaxOvertakes(int overtakes) {
        return new MemoryPolicy(maxMb, perTaskMb, liveHeadroom, safetyMarginMb, overtakes);
    }

    static long physicalMemoryMb() {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return Math.max(1, os.getTotalMemorySize() / (1024 * 1024));
    }
}
