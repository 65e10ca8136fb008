package org.taylorism.internal.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.Cause;
import org.taylorism.CommandWorker;
import org.taylorism.ErrorInfo;
import org.taylorism.internal.Json;
import org.taylorism.internal.child.ResultFile;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.WorkerOutcome;

/**
 * How a launcher tells a worker's end from what it left: its exit code, its result file (written by the worker
 * JVM, see {@link ResultFile}) or its pooled JVM's reply, and the tail of its standard error. Shared by every
 * launcher, the Slurm ones included; none of these methods throws.
 */
public final class Outcomes {

    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

    /** Bytes of standard error quoted when a worker dies. */
    public static final int STDERR_TAIL_BYTES = 2048;

    private Outcomes() {
    }

    /**
     * The outcome of a worker whose process exited with {@code exitCode}: read from the result file for a Java
     * worker, from the exit code for a program. Removes the task file once read; the result file stays beside the
     * worker's output, where a run that resumes this one after its Boss died finds the results it never recorded.
     */
    public static WorkerOutcome ofExit(LaunchSpec spec, int exitCode) {
        try {
            return read(spec, exitCode);
        } catch (RuntimeException | Error e) {
            log.error("Could not read the outcome of worker {}", spec.name(), e);
            return new WorkerOutcome.Raised(ErrorInfo.of(e), exitCode);
        }
    }

    private static WorkerOutcome read(LaunchSpec spec, int exitCode) {
        String signal = ProcessTree.signalOf(exitCode);
        if (spec.kind() == LaunchSpec.Kind.COMMAND) {
            if (exitCode == 0) {
                return new WorkerOutcome.Returned(stdoutAsResult(spec), 0);
            }
            if (signal != null) {
                return new WorkerOutcome.Died(exitCode, signal, stderrTail(spec.stderr()));
            }
            String tail = stderrTail(spec.stderr());
            String lastLine = tail.substring(tail.lastIndexOf('\n') + 1);
            return new WorkerOutcome.Raised(Cause.EXIT_CODE.error("command " + spec.command() + " exited with code " + exitCode
                    + (tail.isEmpty() ? "" : "; its standard error ends with '" + lastLine + "'\n" + tail)), exitCode);
        }
        try {
            if (spec.resultFile() == null || !Files.exists(spec.resultFile())) {
                return new WorkerOutcome.Died(exitCode, signal, stderrTail(spec.stderr()));
            }
            return ofResultFile(spec.resultFile(), exitCode);
        } finally {
            deleteQuietly(spec.taskFile());
        }
    }

    /** The outcome a worker JVM wrote in its result {@code file}, read after its process is gone; never throws. */
    public static WorkerOutcome ofResultFile(Path file) {
        try {
            return ofResultFile(file, null);
        } catch (RuntimeException e) {
            return new WorkerOutcome.Raised(Cause.RESULT_UNREADABLE.error("the result file " + file + " cannot be read: " + e), null);
        }
    }

    private static WorkerOutcome ofResultFile(Path file, Integer exitCode) {
        String unfit = unfitToRead(file);
        if (unfit != null) {
            return new WorkerOutcome.Raised(Cause.RESULT_UNREADABLE.error("the result file " + file + " " + unfit + "; it was not read"),
                    exitCode);
        }
        Map<?, ?> root;
        try {
            root = Json.MAPPER.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            return new WorkerOutcome.Raised(Cause.RESULT_UNREADABLE.error("the result file " + file + " is not valid JSON: "
                    + e.getMessage()), exitCode);
        }
        return ofReply(root, "the result file " + file, exitCode);
    }

    /**
     * The outcome a worker reported, read as plain maps and lists (no tree converted again: a warm pool reads
     * thousands a second); {@code source} names where it came from in an error.
     */
    public static WorkerOutcome ofReply(Map<?, ?> root, String source, Integer exitCode) {
        Object status = root == null ? null : root.get(ResultFile.STATUS);
        Long peak = root != null && root.get(ResultFile.PEAK_RSS_KB) instanceof Number number ? number.longValue() : null;
        if (ResultFile.OK.equals(status)) {
            return new WorkerOutcome.Returned(root.get(ResultFile.RESULT), exitCode, peak);
        }
        if (ResultFile.ERROR.equals(status) && root.get(ResultFile.ERROR) instanceof Map<?, ?> error) {
            try {
                return new WorkerOutcome.Raised(Json.MAPPER.convertValue(error, ErrorInfo.class), exitCode, peak);
            } catch (IllegalArgumentException e) {
                return new WorkerOutcome.Raised(Cause.RESULT_UNREADABLE.error(source
                        + " has an error that is not {type, message, stackTrace}: " + e.getMessage()), exitCode, peak);
            }
        }
        return new WorkerOutcome.Raised(Cause.RESULT_UNREADABLE.error(source + " has no status 'ok' or 'error'"), exitCode);
    }

    /** The worker never started: why, as its launch failure. Its task file goes. */
    public static WorkerOutcome launchFailed(LaunchSpec spec, String why) {
        deleteQuietly(spec.taskFile());
        return new WorkerOutcome.Raised(Cause.LAUNCH_FAILED.error(why), null);
    }

    /**
     * A program's standard output as its result, when it is short text (see {@link CommandWorker}); else null, and
     * null for none (a program that printed nothing has no result).
     */
    private static String stdoutAsResult(LaunchSpec spec) {
        Path stdout = spec.stdout();
        if (spec.stdoutInResult() <= 0 || stdout == null) {
            return null;
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(stdout, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            // Only a regular file is opened: the program may have put a FIFO there.
            if (!attributes.isRegularFile() || attributes.size() == 0 || attributes.size() > spec.stdoutInResult()) {
                return null;
            }
            try (InputStream input = Files.newInputStream(stdout, LinkOption.NOFOLLOW_LINKS)) {
                byte[] bytes = input.readNBytes(spec.stdoutInResult() + 1);
                return bytes.length > spec.stdoutInResult() ? null : CommandWorker.resultOf(bytes);
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** Where the JVM of a Java worker whose standard output is {@code stdout} writes its crash log: beside it. */
    public static Path crashLogOf(Path stdout) {
        String name = stdout.getFileName().toString();
        String base = name.endsWith(".stdout") ? name.substring(0, name.length() - ".stdout".length()) : name;
        return stdout.resolveSibling(base + ".hs_err.log");
    }

    /** The last {@link #STDERR_TAIL_BYTES} bytes of a file, from a line start when possible; empty when unreadable. */
    public static String stderrTail(Path file) {
        if (file == null) {
            return "";
        }
        try (RandomAccessFile reader = new RandomAccessFile(file.toFile(), "r")) {
            long length = reader.length();
            int size = (int) Math.min(length, STDERR_TAIL_BYTES);
            byte[] bytes = new byte[size];
            reader.seek(length - size);
            reader.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int newline = text.indexOf('\n');
            if (length > size && newline >= 0 && newline < text.length() - 1) {
                text = text.substring(newline + 1);
            }
            return text.strip();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Why the result file a worker left is not to be opened, or null: a worker may have put a FIFO there (opening it
     * would block the thread that reads every end), a link to a device or to a file elsewhere, or more than the
     * Boss could hold.
     */
    static String unfitToRead(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return "cannot be looked at (" + e + ")";
        }
        if (attributes.isSymbolicLink()) {
            return "is a symbolic link, not the file its worker wrote";
        }
        if (!attributes.isRegularFile()) {
            return "is not a regular file (a FIFO, a device or a directory)";
        }
        long largest = Runtime.getRuntime().maxMemory() / 4;
        if (attributes.size() > largest) {
            return "holds " + attributes.size() + " bytes, more than a quarter of the Boss's heap (" + largest + " bytes)";
        }
        return null;
    }

    /** Removes a file the run no longer needs; a leftover in the run directory is harmless. */
    public static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // harmless
            }
        }
    }
}
