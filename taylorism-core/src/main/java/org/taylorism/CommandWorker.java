package org.taylorism;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The built-in worker that runs an external program: {@code {"command": ["gzip", "-k", "[file]"], "file": "a.txt"}}.
 *
 * <p>The process launched is the program itself (no JVM, no shell), with {@code [attr]} substitution in
 * every element of {@code command}, the extra environment variables of {@code env} and the working
 * directory {@code cwd}. Exit code 0 is success; any other code fails the worker. Its standard output and
 * error go to the worker's files like any worker's; a program that succeeds with some output, at most
 * {@code stdout_in_result} bytes (64 KiB by default) of valid UTF-8, has that text, without its trailing newlines, as
 * its result, so that small outputs are in the report.
 */
@Footprint(name = "command", info = "Runs an external program; exit code 0 is success.")
public class CommandWorker extends Worker {

    @Attribute(info = "The program and its arguments, e.g. [\"gzip\", \"-k\", \"[file]\"].")
    private List<String> command;

    @Attribute(optional = true, info = "Environment variables added to the Boss's environment.")
    private Map<String, String> env;

    @Attribute(optional = true, info = "Working directory of the program.")
    private Path cwd;

    @Attribute(defaultValue = "65536", info = "Its standard output is its result when it is at most this many bytes of text"
            + " (0: never).")
    private int stdoutInResult;

    public List<String> command() {
        return command;
    }

    public Map<String, String> env() {
        return env == null ? Map.of() : env;
    }

    public Path cwd() {
        return cwd;
    }

    /** Bytes of standard output up to which it is the result; 0 for never. */
    public int stdoutInResult() {
        return stdoutInResult;
    }

    /**
     * Runs the program from within a Java worker process (used when a launcher runs every worker in a JVM);
     * the local launcher starts the program directly instead.
     */
    @Override
    protected Object task() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env());
        if (cwd != null) {
            builder.directory(cwd.toFile());
        }
        Process process = builder.start();
        // Its output still goes whole to this worker's own; the first bytes are kept for the result.
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long total = 0;
        try (InputStream output = process.getInputStream()) {
            byte[] buffer = new byte[8192];
            for (int read = output.read(buffer); read >= 0; read = output.read(buffer)) {
                System.out.write(buffer, 0, read);
                if (total + read <= stdoutInResult) {
                    kept.write(buffer, 0, read);
                }
                total += read;
            }
        }
        System.out.flush();
        int exitCode = process.waitFor();
        if (exitCode != 0) {
            throw new CommandFailedException(command, exitCode);
        }
        return total > 0 && total <= stdoutInResult ? resultOf(kept.toByteArray()) : null;
    }

    /**
     * The result of a program that succeeded, from its standard output: its text without trailing newlines (as
     * a shell's {@code $(...)} gives it), or null when it is not UTF-8 text.
     */
    public static String resultOf(byte[] stdout) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(stdout)).toString();
            int end = text.length();
            while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
                end--;
            }
            return text.substring(0, end);
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** A program that exited with a code other than 0. */
    public static final class CommandFailedException extends TaylorismException {
        public CommandFailedException(List<String> command, int exitCode) {
            super("command " + command + " exited with code " + exitCode);
        }
    }
}
