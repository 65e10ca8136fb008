package org.taylorism.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.spi.RunJournal;
import org.taylorism.spi.RunStart;

/**
 * Whether a run's Boss still runs: its pid, and its start in clock ticks since boot with the boot's id, which setting
 * the wall clock does not move, as it moves the start in epoch milliseconds the JDK gives.
 */
class OwnerTest {

    @TempDir
    Path directory;

    @Test
    void aLiveProcessIsKnownByItsStartInTicksWhateverTheWallClockDidAndAnotherByItsOwn() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "600").start();
        try {
            long pid = sleeper.pid();
            Long ticks = Owner.ticksSinceBootOf(pid);
            String boot = Owner.thisBootId();
            assertNotNull(ticks, "read from /proc");
            assertNotNull(boot);
            long millis = sleeper.info().startInstant().orElseThrow().toEpochMilli();
            String host = Owner.current().host();
            Instant now = Instant.now();

            assertTrue(new Owner(host, pid, millis + 1_500, ticks, boot).stillRuns(now, now),
                    "its start in milliseconds, read 1.5 s apart on a clock set in between, is not what tells");
            assertFalse(new Owner(host, pid, millis, ticks + 1, boot).stillRuns(now, now), "another process that got the pid");
            assertFalse(new Owner(host, pid, millis, ticks, "an-earlier-boot").stillRuns(now, now), "a process of another boot");
            assertTrue(new Owner(host, pid, millis, null, null).stillRuns(now, now), "a run recorded by an earlier taylorism");
            assertFalse(new Owner(host, pid, millis + 1_500, null, null).stillRuns(now, now), "whose milliseconds are all it has");
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor(1, TimeUnit.MINUTES);
        }
    }

    @Test
    void aLiveRunIsStillRunningWhenTheStoreIsOpenedAfterTheWallClockWasSet() throws Exception {
        Path file = directory.resolve("runs.db");
        try (JdbcRunStore store = JdbcRunStore.open(file)) {
            RunJournal journal = store.begin(new RunStart(Instant.now(), "test", "max-threads", "keep-going", "none", Map.of(),
                    directory, null), error -> { });
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = 30000"); // the store's writer may be committing
                // What a clock set 1.5 s back after the run began does to this JVM's start as the JDK gives it.
                statement.executeUpdate("UPDATE runs SET pid_started_at = pid_started_at + 1500");
            }
            try (JdbcRunStore again = JdbcRunStore.open(file)) {
                assertEquals(List.of("running"), again.runs().stream().map(RunSummary::status).toList());
            }
            journal.finish(org.taylorism.Report.of(org.taylorism.RunStatus.FINISHED, List.of(), List.of(), List.of(), null, null,
                    directory, journal.runId()));
        }
    }
}
