package org.taylorism.testing;

import static org.taylorism.testing.Awaits.await;

import java.util.List;

/** End-of-test checks: no thread of a Boss (or of its server) and no child process left behind. */
public final class Leaks {

    private Leaks() {
    }

    /** Threads a Boss, or a server of one, starts: none may outlive them. */
    private static final List<String> OWNED_THREADS = List.of("taylorism-boss", "taylorism-http-", "taylorism-config-");

    public static void assertNoBossThreads() {
        await().until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.isAlive() && OWNED_THREADS.stream().anyMatch(thread.getName()::startsWith)));
    }

    public static void assertNoChildProcesses() {
        await().until(() -> descendants().isEmpty());
    }

    /** Live descendants of this JVM, as "pid command" lines. */
    public static List<String> descendants() {
        return ProcessHandle.current().descendants().filter(Leaks::isRunning)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
    }

    /**
     * Whether a process still runs. {@link ProcessHandle#isAlive()} also counts a zombie, which has ended
     * but waits for its parent (or init, which may be slow in a sandbox) to reap it.
     */
    public static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", String.valueOf(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException | RuntimeException gone) {
            return false;
        }
    }
}
