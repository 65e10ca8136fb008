package org.taylorism.testing;

import static org.taylorism.testing.Awaits.await;

import java.util.List;

/** End-of-test checks: no Boss thread and no child process left behind. */
public final class Leaks {

    private Leaks() {
    }

    public static void assertNoBossThreads() {
        await().until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().startsWith("taylorism-boss") && thread.isAlive()));
    }

    public static void assertNoChildProcesses() {
        await().until(() -> descendants().isEmpty());
    }

    /** Live descendants of this JVM, as "pid command" lines. */
    public static List<String> descendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
    }
}
