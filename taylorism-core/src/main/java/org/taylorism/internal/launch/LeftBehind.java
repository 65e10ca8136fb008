package org.taylorism.internal.launch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The processes an earlier Boss left on this machine for a run: every process of this user whose standard output
 * or error is a file of the run's directory (a worker, what it started, a pooled JVM), found through
 * {@code /proc}. A dead Boss's spawner or watchdog stops them, but gives them 5 s first: a run that resumes
 * that run waits for them here, so that no set runs twice at once.
 */
public final class LeftBehind {

    /** How long they are given to go after SIGTERM, before SIGKILL. */
    private static final long GRACE_SECONDS = 10;

    private LeftBehind() {
    }

    /**
     * Stops the processes left with their output in {@code runDirectory}: SIGTERM, up to {@value #GRACE_SECONDS} s
     * (a worker JVM whose task returned writes its result), then SIGKILL. Returns what it stopped, one line each.
     *
     * @throws IOException when {@code /proc} cannot be read
     */
    public static List<String> stop(Path runDirectory) throws IOException {
        List<ProcessHandle> found = in(runDirectory);
        List<String> stopped = new ArrayList<>();
        for (ProcessHandle process : found) {
            stopped.add("stopped process " + process.pid() + " (" + process.info().commandLine().orElse("?")
                    + "), left running by that run's Boss");
            process.destroy();
        }
        for (ProcessHandle process : found) {
            try {
                process.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                process.destroyForcibly();
            } catch (ExecutionException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping what an earlier Boss left running", e);
            }
        }
        return stopped;
    }

    /** The environment variable that marks every process a worker started (the spawners set it too). */
    static final String TAG_VARIABLE = "TAYLORISM_WORKER_TAG";

    /**
     * The live processes (but this one) whose environment holds {@code TAYLORISM_WORKER_TAG=tag}: what a worker
     * started and left, whatever it did to leave its group (setsid, nohup, a double fork), found through
     * {@code /proc}; empty where there is none.
     */
    static List<ProcessHandle> tagged(String tag) {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return List.of();
        }
        byte[] wanted = (TAG_VARIABLE + "=" + tag).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> found = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, entry -> entry.getFileName().toString().matches("\\d+"))) {
            for (Path process : processes) {
                long pid = Long.parseLong(process.getFileName().toString());
                if (pid != self && holds(process.resolve("environ"), wanted)) {
                    ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(found::add);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return found; // /proc changes while it is read: what was found is stopped
        }
        return found;
    }

    /** Whether the environment file {@code environ} (entries ended by NUL) holds exactly the entry {@code wanted}. */
    private static boolean holds(Path environ, byte[] wanted) {
        byte[] entries;
        try {
            entries = Files.readAllBytes(environ);
        } catch (IOException | SecurityException e) {
            return false; // another user's, or gone
        }
        int start = 0;
        for (int i = 0; i <= entries.length; i++) {
            if (i == entries.length || entries[i] == 0) {
                if (i - start == wanted.length && java.util.Arrays.equals(entries, start, i, wanted, 0, wanted.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** The live processes of this user whose standard output or error is in {@code runDirectory}. */
    static List<ProcessHandle> in(Path runDirectory) throws IOException {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return List.of(); // not Linux: nothing to find this way
        }
        String inside = runDirectory.toAbsolutePath().normalize() + "/";
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> found = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, entry -> entry.getFileName().toString().matches("\\d+"))) {
            for (Path process : processes) {
                long pid = Long.parseLong(process.getFileName().toString());
                if (pid != self && (writesInto(process.resolve("fd/1"), inside) || writesInto(process.resolve("fd/2"), inside))) {
                    ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(found::add);
                }
            }
        }
        return found;
    }

    private static boolean writesInto(Path descriptor, String directory) {
        try {
            return Files.readSymbolicLink(descriptor).toString().startsWith(directory);
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return false; // another user's process, or gone meanwhile
        }
    }
}
