package org.taylorism.schedulers;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** How much memory the machine can give right now. */
@FunctionalInterface
interface MemoryProbe {

    long availableMb();

    /**
     * {@code MemAvailable} from /proc/meminfo (the kernel's estimate of what can be allocated without
     * swapping, page cache included); free physical memory where that file is missing.
     */
    static MemoryProbe system() {
        return () -> {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                    if (line.startsWith("MemAvailable:")) {
                        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // not Linux, or an unusual kernel: use what the JDK knows
            }
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return os.getFreeMemorySize() / (1024 * 1024);
        };
    }
}
