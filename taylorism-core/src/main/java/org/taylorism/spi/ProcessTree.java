package org.taylorism.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stops a process together with every process it started, in two phases: SIGTERM to the whole tree at once,
 * then SIGKILL to whatever of it is left after the grace period.
 *
 * <p>The tree is read before anything is signalled, because a child whose parent dies is adopted by init
 * and is no longer a descendant of anything we know; such orphans are still killed through the handles
 * read first.
 */
public final class ProcessTree {

    private static final ScheduledExecutorService ESCALATION = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "taylorism-process-killer");
        thread.setDaemon(true);
        return thread;
    });

    private ProcessTree() {
    }

    /** SIGTERM to {@code root} and its descendants now, SIGKILL to the survivors after {@code grace}. Returns at once. */
    public static void stop(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = snapshot(root);
        if (grace.isZero() || grace.isNegative()) {
            kill(tree);
            return;
        }
        tree.forEach(ProcessHandle::destroy);
        ESCALATION.schedule(() -> kill(tree), grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGKILL to {@code root} and its descendants now. */
    public static void kill(ProcessHandle root) {
        kill(snapshot(root));
    }

    private static List<ProcessHandle> snapshot(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        return tree;
    }

    private static void kill(List<ProcessHandle> known) {
        Set<ProcessHandle> everything = new LinkedHashSet<>();
        for (ProcessHandle process : known) {
            if (process.isAlive()) {
                // Children started during the grace period are killed too.
                process.descendants().forEach(everything::add);
                everything.add(process);
            }
        }
        everything.forEach(ProcessHandle::destroyForcibly);
    }
}
