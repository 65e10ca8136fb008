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
 */
record Owner(String host, long pid, Long startedAtMillis) {

    /** How often a live run says so. */
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    /** How long without a heartbeat makes a run of another host interrupted. */
    static final Duration HEARTBEAT_LOST = HEARTBEAT.multipliedBy(4);

    static Owner current() {
        ProcessHandle self = ProcessHandle.current();
        return new Owner(hostName(), self.pid(), self.info().startInstant().map(Instant::toEpochMilli).orElse(null));
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
        Optional<Instant> started = process.get().info().startInstant();
        // A start time this JVM cannot read: the live pid is taken at its word.
        return startedAtMillis == null || started.isEmpty() || Math.abs(started.get().toEpochMilli() - startedAtMillis) < 1000;
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
