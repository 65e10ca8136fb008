package org.taylorism.spi;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.taylorism.ErrorInfo;

/** How a launched worker ended, as its launcher saw it. */
public sealed interface WorkerOutcome permits WorkerOutcome.Returned, WorkerOutcome.Raised, WorkerOutcome.Died,
        WorkerOutcome.ClusterEnded {

    /** Exit code of the process, when it exited. */
    Integer exitCode();

    /** The peak resident memory the worker reported of itself, in KiB, when it did. */
    default Long selfPeakRssKb() {
        return null;
    }

    /** The task returned a value (null for a program that exited with 0). */
    record Returned(Object result, Integer exitCode, Long selfPeakRssKb) implements WorkerOutcome {
        public Returned(Object result, Integer exitCode) {
            this(result, exitCode, null);
        }
    }

    /** The task failed and said why: an exception, a non-zero exit code of a program, an unwritable result. */
    record Raised(ErrorInfo error, Integer exitCode, Long selfPeakRssKb) implements WorkerOutcome {
        public Raised(ErrorInfo error, Integer exitCode) {
            this(error, exitCode, null);
        }
    }

    /**
     * The process ended without a result.
     *
     * @param signal the name of the signal that ended it ({@code "KILL"}), read from an exit code above 128
     * @param stderrTail the last lines of its standard error
     */
    record Died(Integer exitCode, String signal, String stderrTail) implements WorkerOutcome {
    }

    /**
     * The cluster's resource manager ended the worker (a time limit, a node failure, a preemption) before it
     * could give a result.
     *
     * @param state what the resource manager did
     * @param exitCode the exit code it reported, when it did
     * @param detail the resource manager's own words (its message, the last lines of the worker's standard error)
     */
    record ClusterEnded(ClusterState state, Integer exitCode, String detail) implements WorkerOutcome {
    }

    /** Bytes of standard error quoted when a worker dies. */
    int STDERR_TAIL_BYTES = 2048;

    /**
     * The outcome of a worker whose process exited with {@code exitCode}: read from the result file for a Java
     * worker, from the exit code for a program. Removes the task and result files once read.
     */
    static WorkerOutcome fromExit(LaunchSpec spec, int exitCode) {
        String signal = ProcessTree.signalOf(exitCode);
        if (spec.kind() == LaunchSpec.Kind.COMMAND) {
            if (exitCode == 0) {
                return new Returned(null, 0);
            }
            if (signal != null) {
                return new Died(exitCode, signal, tail(spec.stderr()));
            }
            String tail = tail(spec.stderr());
            String lastLine = tail.substring(tail.lastIndexOf('\n') + 1);
            return new Raised(new ErrorInfo("org.taylorism.CommandWorker$CommandFailedException",
                    "command " + spec.command() + " exited with code " + exitCode
                            + (tail.isEmpty() ? "" : "; its standard error ends with '" + lastLine + "'\n" + tail), null), exitCode);
        }
        try {
            if (spec.resultFile() == null || !Files.exists(spec.resultFile())) {
                return new Died(exitCode, signal, tail(spec.stderr()));
            }
            return ResultFile.read(spec.resultFile(), exitCode);
        } finally {
            deleteQuietly(spec.taskFile());
            deleteQuietly(spec.resultFile());
        }
    }

    /** The last {@link #STDERR_TAIL_BYTES} bytes of a file, from a line start when possible; empty when unreadable. */
    static String tail(Path file) {
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

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover file in the run directory is harmless
            }
        }
    }
}
