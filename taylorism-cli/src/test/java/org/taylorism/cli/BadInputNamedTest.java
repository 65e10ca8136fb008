package org.taylorism.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.testing.Leaks;

/** Bad input is one line that names the bad value and where it is, exit 2, before anything runs. */
class BadInputNamedTest {

    @TempDir
    Path directory;

    private CliRun cli = new CliRun();

    @AfterEach
    void noLeftovers() {
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    private int run(String... args) {
        cli = new CliRun();
        return cli.run(args);
    }

    private String err() {
        return cli.err.toString();
    }

    /** A batch whose second line holds "caf" then a byte that cannot start a UTF-8 character. */
    private static byte[] latin1Batch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("{\"individual\":\n  {\"command\": [[\"echo\", \"caf".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xe9); // é in Latin-1
        bytes.writeBytes("\"]]}}\n".getBytes(StandardCharsets.UTF_8));
        return bytes.toByteArray();
    }

    @Test
    void textThatIsNotUtf8IsNamedByLineAndColumnInAFileAndOnStandardInput() throws Exception {
        Path batch = Files.write(directory.resolve("batch.json"), latin1Batch());
        assertEquals(2, run("run", batch.toString(), "--no-store"));
        assertTrue(err().contains(batch + ":2:29: not UTF-8 text (byte 0xe9); save it as UTF-8"), err());

        InputStream original = System.in;
        try {
            System.setIn(new ByteArrayInputStream(latin1Batch()));
            assertEquals(2, run("run", "-", "--format", "json", "--no-store"));
        } finally {
            System.setIn(original);
        }
        assertTrue(err().contains("standard input:2:29: not UTF-8 text (byte 0xe9)"), err());
    }

    @Test
    void aBadOptionValueIsOneLineAndAPointerToTheHelpNotTheWholeUsage() throws Exception {
        Path batch = Files.writeString(directory.resolve("batch.json"), "{\"individual\": {\"command\": [[\"true\"]]}}");
        assertEquals(2, run("run", batch.toString(), "--timeout", "abc", "--no-store"));
        assertTrue(err().contains("'--timeout'") && err().contains("abc"), err());
        assertTrue(err().contains("(taylorism run --help lists the options)"), err());
        assertEquals(2, err().lines().count(), err());
    }

    @Test
    void aClasspathJarThatIsNoJarAndAWorkdirBelowAFileAreRefusedBeforeTheRun() throws Exception {
        Path batch = Files.writeString(directory.resolve("batch.json"), "{\"individual\": {\"command\": [[\"true\"]]}}");
        Path fake = Files.writeString(directory.resolve("workers.jar"), "not a zip");
        assertEquals(2, run("run", batch.toString(), "--classpath", fake.toString(), "--no-store"));
        assertTrue(err().contains("--classpath entry " + fake + " is not a jar"), err());

        Path file = Files.writeString(directory.resolve("a-file"), "");
        assertEquals(2, run("run", batch.toString(), "--workdir", file.resolve("below").toString(), "--no-store"));
        assertTrue(err().contains("--workdir " + file.resolve("below") + ": " + file + " is a file, not a directory"), err());
        assertEquals("", cli.out.toString(), "nothing ran");
    }

    @Test
    void aNulInsideAProgramArgumentIsRefusedNotCut() throws Exception {
        Path batch = Files.writeString(directory.resolve("batch.jsonl"),
                "{\"name\": \"ok\", \"command\": [\"true\"]}\n{\"name\": \"nul\", \"command\": [\"echo\", \"a\\u0000b\"]}\n");
        assertEquals(2, run("run", batch.toString(), "--no-store"));
        assertTrue(err().contains("instruction set #2: command: argument 2 holds a NUL character"), err());
    }

    @Test
    void messagesSpeakToPeopleAndNameJavaTypesOnlyWhenAskedWithV() throws IOException {
        Path oneString = Files.writeString(directory.resolve("one-string.json"), "{\"common\": {\"command\": \"sha256sum a.txt\"}}");
        assertEquals(2, run("run", oneString.toString()));
        assertTrue(err().contains("'sha256sum a.txt' is text, not a list: write it as a JSON array, such as [\"sha256sum\",\"a.txt\"]"
                + " (or [\"sh\",\"-c\",\"sha256sum a.txt\"] for a shell)"), err());
        assertFalse(err().contains("put your worker classes"), "it has a command: " + err());

        Path failing = Files.writeString(directory.resolve("failing.jsonl"), "{\"name\": \"bad\", \"command\": [\"sh\", \"-c\", \"exit 3\"]}");
        assertEquals(3, run("run", failing.toString(), "--no-progress"));
        assertTrue(err().contains("failed: bad: command [sh, -c, exit 3] exited with code 3"), err());
        assertFalse(err().contains("CommandFailedException"), "no Java type without -v: " + err());
        assertEquals(3, run("run", failing.toString(), "--no-progress", "-v"));
        assertTrue(err().contains("org.taylorism.CommandWorker$CommandFailedException: command [sh, -c, exit 3]"), err());
    }
}
