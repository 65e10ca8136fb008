package org.taylorism.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Report;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;

/**
 * A big JSON Lines batch read as a stream, a part at a time as the run needs sets (real processes; the part is made
 * small here, so that a few dozen sets make several parts).
 */
class StreamedBatchTest {

    @TempDir
    Path directory;

    private CliRun cli = new CliRun();

    @AfterEach
    void noLeftovers() {
        org.taylorism.testing.Leaks.assertNoBossThreads();
        org.taylorism.testing.Leaks.assertNoChildProcesses();
    }

    private int run(Path batch, String... more) {
        cli = new CliRun();
        List<String> args = new java.util.ArrayList<>(List.of("run", batch.toString(), "--store", directory.resolve("runs.db").toString(),
                "--no-progress", "--report", "-", "--stream-part", "4", "-j", "2"));
        args.addAll(List.of(more));
        return cli.run(args.toArray(String[]::new));
    }

    private Path batch(int count, java.util.function.IntFunction<String> line) throws IOException {
        StringBuilder text = new StringBuilder();
        IntStream.range(0, count).forEach(i -> text.append(line.apply(i)).append('\n'));
        return Files.writeString(directory.resolve("batch.jsonl"), text);
    }

    @Test
    void everySetOfABatchReadAPartAtATimeRunsAndIsReported() throws Exception {
        Path batch = batch(23, i -> "{\"name\": \"s" + i + "\", \"command\": [\"sh\", \"-c\", \"echo $0\", \"" + i + "\"]}");
        assertEquals(0, run(batch, "--set", "env={\"SHARED\": \"yes\"}"), cli.err.toString());

        Report report = Report.fromJson(cli.out.toString());
        assertEquals(23, report.counts().get("succeeded"));
        assertEquals(IntStream.range(0, 23).mapToObj(i -> "s" + i).sorted().toList(),
                report.workers().stream().map(WorkerReport::name).sorted().toList());
        assertEquals("7", report.worker("s7").orElseThrow().result(), "each set ran with its own line's attributes");
        assertEquals(Map.of("SHARED", "yes"), report.worker("s20").orElseThrow().instructions().get("env"), "--set applies to every part");
        assertFalse(cli.err.toString().contains("never read"), cli.err.toString());
    }

    @Test
    void aRunThatStopsEarlyNeverReadsTheRestAndSaysHowMany() throws Exception {
        Path batch = batch(40, i -> "{\"name\": \"s" + i + "\", \"command\": [\"sh\", \"-c\", \"exit $0\", \"" + (i == 1 ? 5 : 0) + "\"]}");
        assertEquals(3, run(batch, "--halt", "now,fail=1"), cli.err.toString());

        Report report = Report.fromJson(cli.out.toString());
        assertEquals(WorkerStatus.FAILED, report.worker("s1").orElseThrow().status());
        int handedOver = report.workers().size() + report.pending().size();
        assertTrue(handedOver < 40, "parts were handed over only while the run listened: " + handedOver);
        assertTrue(cli.err.toString().contains("never read: " + (40 - handedOver) + " sets of " + batch), cli.err.toString());
    }

    @Test
    void aSetFurtherDownThatTheBossRefusesStopsTheRunNamesItsLinesAndKeepsWhatRan() throws Exception {
        // Line 11 is a set no worker takes (no command): its part is refused once the first parts ran.
        Path batch = batch(20, i -> i == 10 ? "{\"name\": \"odd\", \"colour\": \"blue\"}"
                : "{\"name\": \"s" + i + "\", \"command\": [\"true\"]}");
        assertEquals(2, run(batch), cli.err.toString());

        String err = cli.err.toString();
        assertTrue(err.contains("taylorism: " + batch + ", lines 9 to 12: "), err);
        assertTrue(err.contains("(the run stopped; what ran is in the report)"), err);
        Report report = Report.fromJson(cli.out.toString());
        assertTrue(report.counts().get("succeeded") >= 4, "the first parts ran: " + report.counts());
        assertNull(report.worker("odd").orElse(null));
    }
}
