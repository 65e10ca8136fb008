package org.taylorism.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Report;
import org.taylorism.RunStoreException;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.testing.Leaks;

/**
 * A run store on a real read-only or full file system: a small tmpfs mounted over the store's directory in a
 * mount namespace of the taylorism JVM's own ({@code unshare}), so that neither root nor a mount outlives the
 * test. The workers' files and the marks they leave are outside it.
 */
class StoreOnABadDiskTest {

    @TempDir
    Path directory;

    private Process taylorism;

    @AfterEach
    void noLeftovers() {
        if (taylorism != null) {
            taylorism.destroyForcibly();
        }
        Leaks.assertNoChildProcesses();
    }

    /**
     * Runs {@code taylorism run} on {@code batch} with its store in a tmpfs mounted with {@code mountOptions};
     * returns its exit code.
     */
    private int runOnTmpfs(String mountOptions, Path batch) throws Exception {
        Process probe = new ProcessBuilder("unshare", "--mount", "--map-root-user", "true").redirectErrorStream(true).start();
        assumeTrue(probe.waitFor(1, TimeUnit.MINUTES) && probe.exitValue() == 0,
                "this machine does not let a user mount a tmpfs in a namespace of its own (unshare --mount --map-root-user)");
        Path storeDirectory = Files.createDirectories(directory.resolve("state"));
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--map-root-user", "sh", "-c",
                "mount -t tmpfs -o \"$0\" tmpfs \"$1\" && shift && exec \"$@\"", mountOptions, storeDirectory.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                TaylorismCommand.class.getName(), "run", "--report", "-", batch.toString(), "--store", storeDirectory.resolve("runs.db").toString(),
                "--workdir", directory.resolve("work").toString(), "--max-threads", "2", "--policy", "keep-going", "--no-progress"));
        taylorism = new ProcessBuilder(command).redirectOutput(directory.resolve("stdout").toFile())
                .redirectError(directory.resolve("stderr").toFile()).start();
        assertTrue(taylorism.waitFor(3, TimeUnit.MINUTES), "taylorism did not end");
        return taylorism.exitValue();
    }

    /** A batch of {@code count} programs that each leave a mark named after their set. */
    private Path markingBatch(int count) throws IOException {
        Path marks = Files.createDirectories(directory.resolve("marks"));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(String.format("{\"name\": \"set-%04d\", \"command\": [\"touch\", \"%s/set-%04d\"]}", i, marks, i));
        }
        return Files.write(directory.resolve("batch.jsonl"), lines);
    }

    private Set<String> marks() throws IOException {
        try (Stream<Path> files = Files.list(directory.resolve("marks"))) {
            return files.map(file -> file.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private String stderr() throws IOException {
        return Files.readString(directory.resolve("stderr"));
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aStoreOnAReadOnlyFileSystemIsRefusedNamedBeforeAnythingRuns() throws Exception {
        Path batch = markingBatch(5);

        assertEquals(5, runOnTmpfs("ro,size=1m", batch), stderr());

        assertTrue(stderr().contains("the run store " + directory.resolve("state/runs.db") + " cannot be written: "
                + directory.resolve("state") + " is on a read-only file system"), stderr());
        assertTrue(stderr().contains("(another store: --store PATH; none: --no-store)"), stderr());
        assertEquals(Set.of(), marks(), "nothing ran");
        assertEquals("", Files.readString(directory.resolve("stdout")), "no report: no run began");
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aStoreThatFillsUpStopsLaunchingAndTheReportKeepsEveryWorkerThatRan() throws Exception {
        // A few hundred kilobytes: the store fills up after some commits, long before 3,000 sets are through.
        Path batch = markingBatch(3000);

        assertEquals(5, runOnTmpfs("size=192k", batch), stderr());

        assertTrue(stderr().contains("could not write the run store " + directory.resolve("state/runs.db")), stderr());
        Report report = Report.fromJson(Files.readString(directory.resolve("stdout")));
        assertTrue(report.error() != null && report.error().is(RunStoreException.class), String.valueOf(report.error()));
        assertFalse(report.pending().isEmpty(), "launching stopped when the store failed");
        Set<String> succeeded = report.workers().stream().filter(worker -> worker.status() == WorkerStatus.SUCCEEDED)
                .map(WorkerReport::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(marks(), succeeded, "every worker that ran is in the report, as it ended");
        assertEquals(3000, report.workers().size() + report.pending().size());
    }
}
