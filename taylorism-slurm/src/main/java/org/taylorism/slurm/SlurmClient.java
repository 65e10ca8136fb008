package org.taylorism.slurm;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs Slurm's client commands ({@code scontrol}, {@code squeue}, {@code sbatch}, {@code scancel}) and
 * returns what they print, or throws with what they said on failure.
 */
class SlurmClient implements AutoCloseable {

    /** The commands every mode needs. */
    static final List<String> COMMANDS = List.of("srun", "sbatch", "squeue", "scancel", "scontrol");

    private static final long COMMAND_TIMEOUT_SECONDS = 60;
    private static final AtomicInteger READER_NUMBERS = new AtomicInteger();

    /** Read what commands print, on threads of their own (daemons, gone a minute after the last command). */
    private final ExecutorService readers = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "taylorism-slurm-output-" + READER_NUMBERS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Fails with a message that says what is missing when Slurm's commands are not on the PATH or its
     * controller does not answer {@code scontrol ping}.
     */
    void checkAvailable() {
        checkAvailable(System.getenv().getOrDefault("PATH", ""));
    }

    void checkAvailable(String path) {
        List<String> missing = new ArrayList<>();
        for (String command : COMMANDS) {
            if (!onPath(command, path)) {
                missing.add(command);
            }
        }
        if (!missing.isEmpty()) {
            throw new SlurmUnavailableException("Slurm's commands " + missing + " are not on the PATH (" + path
                    + "): is this machine a Slurm node or login node, with the Slurm client installed?");
        }
        String answer;
        try {
            answer = run(List.of("scontrol", "ping"));
        } catch (SlurmCommandException e) {
            throw new SlurmUnavailableException("the Slurm controller does not answer: " + e.getMessage(), e);
        }
        if (!answer.contains("is UP")) {
            throw new SlurmUnavailableException("the Slurm controller does not answer: `scontrol ping` says '"
                    + answer.strip() + "'");
        }
    }

    private static boolean onPath(String command, String path) {
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code command} and returns its standard output; throws with its standard error when it fails. */
    String run(List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new SlurmCommandException("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        // Both streams are read on threads of their own, so that a command that hangs is given up on in time.
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()), this::read);
        CompletableFuture<String> printed = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()), this::read);
        String output;
        try {
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new SlurmCommandException("`" + String.join(" ", command) + "` did not answer within "
                        + COMMAND_TIMEOUT_SECONDS + " s");
            }
            output = printed.get(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new SlurmCommandException("could not read what `" + String.join(" ", command) + "` printed: " + e, e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SlurmCommandException("interrupted while running " + String.join(" ", command), e);
        }
        if (process.exitValue() != 0) {
            // scontrol ping says what is wrong on stdout, framed in lines of stars.
            String said = (errors.join().isBlank() ? output : errors.join()).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("**")).collect(java.util.stream.Collectors.joining("; "));
            throw new SlurmCommandException("`" + String.join(" ", command) + "` failed with exit code " + process.exitValue()
                    + (said.isEmpty() ? "" : ": " + said));
        }
        return output;
    }

    private static String readAll(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Reads on a pooled thread; once the client is closed (a stop its launcher planned before closing, say, still
     * runs scancel), on a thread of its own.
     */
    private void read(Runnable reading) {
        try {
            readers.execute(reading);
        } catch (RejectedExecutionException closed) {
            Thread thread = new Thread(reading, "taylorism-slurm-output-" + READER_NUMBERS.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Lets the reader threads go once the commands running now are done; a later command still works. */
    @Override
    public void close() {
        readers.shutdown();
    }

    /** A Slurm command failed; the message quotes the command and what it said. */
    static final class SlurmCommandException extends RuntimeException {
        SlurmCommandException(String message) {
            super(message);
        }

        SlurmCommandException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
