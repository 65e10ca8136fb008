package org.taylorism.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Report;
import org.taylorism.WorkerStatus;
import org.taylorism.testing.Leaks;

/** The programs' own output on taylorism's stdout and stderr (--output, --tag, --keep-order), and where the report goes. */
class ProgramOutputTest {

    @TempDir
    Path directory;

    private CliRun cli;

    @AfterEach
    void noLeftovers() {
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    private int run(String... args) {
        cli = new CliRun();
        return cli.run(args);
    }

    /** A JSON Lines batch of shell commands, one per {@code scripts}, named {@code NAME=SCRIPT}. */
    private Path shellBatch(String... namedScripts) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (String named : namedScripts) {
            String name = named.substring(0, named.indexOf('='));
            String script = named.substring(named.indexOf('=') + 1).replace("\\", "\\\\").replace("\"", "\\\"");
            lines.append("{\"name\": \"").append(name).append("\", \"command\": [\"sh\", \"-c\", \"").append(script).append("\"]}\n");
        }
        return Files.writeString(directory.resolve("batch.jsonl"), lines);
    }

    private String work() {
        return directory.resolve("work").toString();
    }

    @Test
    void eachWorkersOutputIsPrintedWholeWhenItEndsAndTheReportIsKeptInTheRunDirectory() throws IOException {
        // Both write a line, wait for the other's first line, then write another: their outputs are written interleaved.
        Path batch = shellBatch(
                "a=echo a1; touch a-started; while [ ! -e b-started ]; do sleep 0.02; done; echo a2; echo a-err >&2",
                "b=echo b1; touch b-started; while [ ! -e a-started ]; do sleep 0.02; done; echo b2; echo b-err >&2");
        assertEquals(0, run("run", batch.toString(), "-j", "2", "--workdir", work(), "--set", "cwd=" + directory), cli.err.toString());

        String out = cli.out.toString();
        assertTrue(out.equals("a1\na2\nb1\nb2\n") || out.equals("b1\nb2\na1\na2\n"), out);
        assertTrue(cli.err.toString().contains("a-err\n") && cli.err.toString().contains("b-err\n"), cli.err.toString());
        String summary = cli.err.toString();
        String kept = summary.substring(summary.indexOf("  report: ") + "  report: ".length()).lines().findFirst().orElseThrow();
        assertTrue(kept.endsWith("/report.json"), summary);
        Report report = Report.fromJson(Files.readString(Path.of(kept)));
        // Short standard output is the result.
        assertEquals("a1\na2", report.worker("a").orElseThrow().result());
    }

    @Test
    void lineModePrintsWholeLinesWhileWorkersRunTaggedWithTheirNames() throws Exception {
        Path release = directory.resolve("release");
        Path batch = shellBatch("slow=echo first; while [ ! -e " + release + " ]; do sleep 0.02; done; printf 'last, no newline'",
                "quick=printf 'one\\ntwo\\n'");
        CliRun live = new CliRun();
        cli = live;
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> live.run("run", batch.toString(), "-j", "2",
                "--workdir", work(), "--output", "line", "--tag"));
        // Printed while its worker still runs: it waits for the file this test makes only once the line is seen.
        await().atMost(Duration.ofMinutes(2)).until(() -> live.out.toString().contains("slow\tfirst\n"));
        assertTrue(!exit.isDone(), "the slow worker still runs");
        Files.createFile(release);
        assertEquals(0, exit.get(), live.err.toString());

        String out = live.out.toString();
        assertTrue(out.contains("quick\tone\nquick\ttwo\n"), out);
        assertTrue(out.endsWith("slow\tlast, no newline\n"), "a tagged partial line is ended: " + out);
    }

    @Test
    void keepOrderPrintsInTheBatchsOrderNotTheOrderOfEnds() throws IOException {
        Path done = directory.resolve("third-done");
        Path batch = shellBatch("first=while [ ! -e " + done + " ]; do sleep 0.02; done; echo one",
                "second=echo two",
                "third=echo three; touch " + done);
        assertEquals(0, run("run", batch.toString(), "-j", "3", "--workdir", work(), "--keep-order"), cli.err.toString());
        assertEquals("one\ntwo\nthree\n", cli.out.toString());

        Files.delete(done);
        assertEquals(0, run("run", batch.toString(), "-j", "3", "--workdir", work()), cli.err.toString());
        assertTrue(cli.out.toString().endsWith("one\n") && cli.out.toString().contains("three\n"),
                "without --keep-order, the first set, which ends last, is printed last: " + cli.out);
    }

    @Test
    void outputIsCopiedByteForByteAndNoneOrTheReportOnStdoutReplaceIt() throws IOException {
        Path batch = shellBatch("binary=printf '\\000\\377\\376x'");
        assertEquals(0, run("run", batch.toString(), "--workdir", work()), cli.err.toString());
        assertArrayEquals(new byte[] {0, (byte) 0xff, (byte) 0xfe, 'x'}, cli.out.toByteArray());

        assertEquals(0, run("run", batch.toString(), "--workdir", work(), "--output", "none"), cli.err.toString());
        assertEquals(0, cli.out.size());

        assertEquals(0, run("run", batch.toString(), "--workdir", work(), "--report", "-"), cli.err.toString());
        Report report = Report.fromJson(cli.out.toString());
        assertEquals(WorkerStatus.SUCCEEDED, report.worker("binary").orElseThrow().status());
        assertNull(report.worker("binary").orElseThrow().result(), "bytes that are not UTF-8 text are no result");

        assertEquals(2, run("run", batch.toString(), "--workdir", work(), "--report", "-", "--output", "group"));
        assertTrue(cli.err.toString().contains("--report - and --output group would both write to standard output"), cli.err.toString());
        assertEquals(2, run("run", batch.toString(), "--workdir", work(), "--output", "all"));
        assertTrue(cli.err.toString().contains("'all' is not an output mode: use group, line or none"), cli.err.toString());
    }

    @Test
    void aWorkerThatPutsAFifoInPlaceOfItsOutputFileDoesNotStallThePrinting() throws IOException {
        Path batch = shellBatch("fifo=f=$(readlink /proc/self/fd/1); rm \"$f\"; mkfifo \"$f\"", "plain=echo plain");
        assertEquals(0, run("run", batch.toString(), "-j", "2", "--workdir", work()), cli.err.toString());
        assertEquals("plain\n", cli.out.toString());
    }

    @Test
    void aLongOutputIsNoResultAndTheLimitIsAnAttribute() throws IOException {
        Path batch = shellBatch("long=head -c 70000 /dev/zero | tr '\\0' x", "short=echo 12345");
        assertEquals(0, run("run", batch.toString(), "-j", "2", "--workdir", work(), "--output", "none", "--report", "-"));
        Report report = Report.fromJson(cli.out.toString());
        assertNull(report.worker("long").orElseThrow().result(), "over 64 KiB");
        assertEquals("12345", report.worker("short").orElseThrow().result());

        assertEquals(0, run("run", batch.toString(), "-j", "2", "--workdir", work(), "--report", "-", "--set", "stdout_in_result=3"));
        assertNull(Report.fromJson(cli.out.toString()).worker("short").orElseThrow().result(), "over 3 bytes");
    }

    @Test
    void aResumedRunPrintsWhatItRunsAndKeepsOrderPastTheSetsItCarriesOver() throws IOException {
        Path flag = directory.resolve("flag");
        Path batch = shellBatch("ok=echo ok-out", "flaky=test -e " + flag + " && echo flaky-out", "last=echo last-out");
        assertEquals(3, run("run", batch.toString(), "-j", "1", "--workdir", work(), "--keep-order"), cli.err.toString());
        assertEquals("ok-out\nlast-out\n", cli.out.toString());

        Files.createFile(flag);
        assertEquals(0, run("run", batch.toString(), "--resume", "-j", "1", "--workdir", work(), "--keep-order"), cli.err.toString());
        assertEquals("flaky-out\n", cli.out.toString(), "ok and last were carried over: their output was printed by their run");
        assertTrue(cli.err.toString().contains("(carried over from run "), cli.err.toString());
    }
}
