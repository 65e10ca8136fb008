package org.taylorism.internal.child;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a task of a pooled JVM started and left running when it ended (a daemon, {@code setsid cmd}): the children
 * of the thread that ran it, read from {@code /proc/thread-self/children} (one small read, cheap enough for every
 * task), stopped with their descendants, SIGTERM at once and SIGKILL after a grace period. Processes that left the
 * JVM altogether (a double fork) are not its children any more: they go with the pooled JVM's own end.
 */
final class TaskLeftovers {

    private static final String CHILDREN = "/proc/thread-self/children";
    private static final long GRACE_SECONDS = 5;

    private static ScheduledExecutorService killer;

    private TaskLeftovers() {
    }

    /** Stops what the calling thread started and is still running; returns how many processes that was. */
    static int stop() {
        List<ProcessHandle> left = new ArrayList<>();
        for (long pid : children()) {
            ProcessHandle.of(pid).ifPresent(child -> {
                child.descendants().forEach(left::add);
                left.add(child);
            });
        }
        if (left.isEmpty()) {
            return 0;
        }
        left.forEach(ProcessHandle::destroy);
        killer().schedule(() -> left.forEach(ProcessHandle::destroyForcibly), GRACE_SECONDS, TimeUnit.SECONDS);
        return left.size();
    }

    /**
     * The pids of the calling thread's live children; none where the kernel does not say. Read through a plain
     * FileInputStream: the NIO file channel costs a pooled JVM more than a trivial task does.
     */
    private static List<Long> children() {
        byte[] bytes;
        try (FileInputStream in = new FileInputStream(CHILDREN)) {
            bytes = in.readAllBytes();
        } catch (IOException | SecurityException e) {
            return List.of();
        }
        String text = new String(bytes, StandardCharsets.US_ASCII).strip();
        if (text.isEmpty()) {
            return List.of();
        }
        List<Long> pids = new ArrayList<>();
        for (String pid : text.split("\\s+")) {
            pids.add(Long.parseLong(pid));
        }
        return pids;
    }

    private static synchronized ScheduledExecutorService killer() {
        if (killer == null) {
            killer = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "taylorism-task-leftovers");
                thread.setDaemon(true);
                return thread;
            });
        }
        return killer;
    }
}
