package org.taylorism.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Report;
import org.taylorism.testing.Leaks;

/** What a run leaves on disk is its user's alone, and what workers say cannot drive the user's terminal. */
class FilesAndTerminalTest {

    @TempDir
    Path directory;

    private final CliRun cli = new CliRun();

    @AfterEach
    void noLeftovers() {
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static List<Path> filesEndingWith(Path directory, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    @Test
    void directoriesAndFilesTaylorismMakesAreItsUsersAloneAndWorkersCannotDriveTheTerminal() throws IOException {
        // Escape sequences that would clear the screen and set the terminal's title, and a carriage return.
        String hostile = "printf '\\033[2J\\033]0;pwned\\007\\rgone' >&2; exit 3";
        Path batch = Files.writeString(directory.resolve("batch.jsonl"), "{\"name\": \"java\", \"secret\": \"s3cr3t\"}\n"
                + "{\"name\": \"hostile\", \"command\": [\"sh\", \"-c\", \"" + hostile.replace("\\", "\\\\") + "\"]}\n");
        Path workdir = directory.resolve("new/work");
        Path reportFile = directory.resolve("report.json");

        // The programs' own output is copied as it is, as a shell or GNU parallel would: what is checked here is what
        // taylorism itself says of them.
        assertEquals(3, cli.run("run", batch.toString(), "--no-store", "--workdir", workdir.toString(), "--policy", "keep-going",
                "--report", reportFile.toString(), "--no-progress", "--output", "none"), cli.err.toString());

        Report report = Report.fromJson(Files.readString(reportFile));
        Path runDirectory = Path.of(report.runDirectory());
        assertEquals("rwx------", mode(runDirectory));
        assertEquals("rwx------", mode(workdir), "a --workdir taylorism makes");
        assertEquals(Map.of("task_file", "rw-------", "holds_secret", true, "run_directory", "rwx------"),
                report.worker("java").orElseThrow().result(), "as the worker saw them");
        assertEquals("rw-------", mode(filesEndingWith(runDirectory, ".result.json").get(0)));
        assertEquals("rw-------", mode(runDirectory.resolve("report.json")));
        assertEquals("rw-------", mode(reportFile));

        String said = cli.err.toString();
        assertFalse(said.contains("\033") || said.contains("\007") || said.contains("\r"), said);
        assertTrue(said.contains("\\x1b[2J\\x1b]0;pwned\\x07\\x0dgone"), said);
    }

    /**
     * The command line under a real pseudo-terminal (util-linux's {@code script}): a log line written while the progress
     * line is shown clears it first, and so does a worker's output; a failure is printed once, and the colours are the
     * view's own.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void onATerminalALogLineNeverLandsOnTheProgressLineAndAFailureIsPrintedOnce() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux's script makes the terminal");
        Path batch = Files.writeString(directory.resolve("b.jsonl"), String.join("\n",
                "{\"name\": \"slow\", \"command\": [\"sh\", \"-c\", \"sleep 2; echo slow-output\"]}",
                "{\"name\": \"leaver\", \"command\": [\"sh\", \"-c\", \"sleep 60 & sleep 1\"]}",
                "{\"name\": \"bad\", \"command\": [\"sh\", \"-c\", \"sleep 1; exit 3\"]}"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' " + TaylorismCommand.class.getName()
                + " run '" + batch + "' -j 3 --report '" + directory.resolve("r.json") + "'";
        Path typescript = directory.resolve("typescript");
        Process terminal = new ProcessBuilder("/usr/bin/script", "-qec", command, typescript.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(terminal.waitFor(2, TimeUnit.MINUTES), "the run under a terminal did not end");
        String shown = Files.readString(typescript);

        assertTrue(shown.contains("ETA"), "a progress line was drawn: " + shown);
        assertTrue(shown.contains("Worker leaver left 1 process running"), shown);
        assertFalse(Pattern.compile("ETA [^\r\n]*Worker leaver").matcher(shown).find(), "the log line is glued to the progress line: " + shown);
        assertTrue(shown.contains("slow-output"), "a worker's output is printed: " + shown);
        assertFalse(Pattern.compile("ETA [^\r\n]*slow-output").matcher(shown).find(), "output glued to the progress line: " + shown);
        assertEquals(1, Pattern.compile("bad \u001b\\[31mfailed").matcher(shown).results().count(), "the failure, once, in red: " + shown);
        assertTrue(shown.contains("did not succeed: 1, each shown above as it ended"), shown);
    }

    @Test
    void printableLeavesTextAloneAndEscapesWhatATerminalWouldObey() {
        assertEquals("plain été 日本", Terminal.printable("plain été 日本"));
        assertEquals("a\\x1b[31mb\\x0a<U+202E>c", Terminal.printable("a\033[31mb\n\u202ec"));
        assertEquals(null, Terminal.printable(null));
    }
}
