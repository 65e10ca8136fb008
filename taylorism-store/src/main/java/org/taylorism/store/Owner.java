package org.taylorism.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The process that records a run: its host, pid, and when it started (a pid is reused; a pid and its start
 * time are not). A run whose owner on this host is gone was interrupted; one recorded on another host (a store
 * on a shared file system) was interrupted once its heartbeat is older than {@link #HEARTBEAT_LOST}.
 *
 * <p>Its start is kept two ways. In clock ticks since boot, with the boot's id (Linux's {@code /proc}): exact, and
 * untouched when the wall clock is set. And in epoch milliseconds, as the JDK gives it: the JDK adds the ticks to the
 * boot's time, which moves when the wall clock is set, so that a clock stepped by a second while a run goes on made its
 * live Boss look like another process. The milliseconds are for stores written by an earlier taylorism and for a
 * system without {@code /proc}.
 *
 * @param startedAtMillis its start in epoch milliseconds, or null
 * @param startTicks its start in clock ticks since boot, or null
 * @param bootId the id of the boot it started in, or null
 */
record Owner(String host, long pid, Long startedAtMillis, Long startTicks, String bootId) {

    /** How often a live run says so. */
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    /** How long without a heartbeat makes a run of another host interrupted. */
    static final Duration HEARTBEAT_LOST = HEARTBEAT.multipliedBy(4);

    static Owner current() {
        ProcessHandle self = ProcessHandle.current();
        return new Owner(hostName(), self.pid(), self.info().startInstant().map(Instant::toEpochMilli).orElse(null),
                ticksSinceBootOf(self.pid()), thisBootId());
    }

    /** Whether the owner of a run still runs it, as far as this host can tell. */
    boolean stillRuns(Instant heartbeat, Instant now) {
        if (!host.equals(hostName())) {
            return heartbeat.plus(HEARTBEAT_LOST).isAfter(now);
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        String thisBoot = thisBootId();
        if (bootId != null && thisBoot != null && !bootId.equals(thisBoot)) {
            return false; // its Boss ran before this machine last started: the pid is another process's now
        }
        Long ticks = ticksSinceBootOf(pid);
        if (startTicks != null && ticks != null && bootId != null) {
            return startTicks.equals(ticks);
        }
        Optional<Instant> started = process.get().info().startInstant();
        // A start time this JVM cannot read: the live pid is taken at its word.
        return startedAtMillis == null || started.isEmpty() || Math.abs(started.get().toEpochMilli() - startedAtMillis) < 1000;
    }

    /** When process {@code pid} started, in clock ticks since boot ({@code /proc/PID/stat}'s 22nd field), or null. */
    static Long ticksSinceBootOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The second field, the command's name, is in parentheses and may hold spaces and parentheses itself.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[19]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The id of this boot of this machine, or null. */
    static String thisBootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            String variable = System.getenv("HOSTNAME");
            return variable != null && !variable.isBlank() ? variable : "localhost";
        }
    }
}
