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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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

        assertEquals(3, cli.run("run", batch.toString(), "--no-store", "--workdir", workdir.toString(), "--policy", "keep-going",
                "--report", reportFile.toString(), "--no-progress"), cli.err.toString());

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

    @Test
    void printableLeavesTextAloneAndEscapesWhatATerminalWouldObey() {
        assertEquals("plain été 日本", Terminal.printable("plain été 日本"));
        assertEquals("a\\x1b[31mb\\x0a<U+202E>c", Terminal.printable("a\033[31mb\n\u202ec"));
        assertEquals(null, Terminal.printable(null));
    }
}
