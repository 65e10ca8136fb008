package org.taylorism.internal.child;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a task of a pooled JVM started and left running when it ended (a daemon, {@code setsid cmd}): the children
 * of the thread that ran it, read from {@code /proc/thread-self/children}, stopped with their descendants, SIGTERM at once and SIGKILL after a grace period. Processes that left the
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
     * The pids of the calling thread's live children; none where the kernel does not say. The file stays open for
     * the thread that first asks (a pooled JVM runs every task on its main thread) and is read again from its start:
     * opening it costs a pooled JVM about 15 µs a task, a trivial task's whole run, and re-reading it under 3.
     */
    private static List<Long> children() {
        String text;
        try {
            text = ChildrenFile.forCallingThread().read();
        } catch (IOException | SecurityException e) {
            return List.of();
        }
        if (text.isEmpty()) {
            return List.of();
        }
        List<Long> pids = new ArrayList<>();
        for (String pid : text.split("\\s+")) {
            pids.add(Long.parseLong(pid));
        }
        return pids;
    }

    /** {@code /proc/thread-self/children}, open for one thread: the path names the thread that opens it. */
    private static final class ChildrenFile {
        private static ChildrenFile kept;

        private final Thread owner;
        private final FileChannel file;
        private ByteBuffer buffer = ByteBuffer.allocate(128);

        private ChildrenFile(Thread owner, FileChannel file) {
            this.owner = owner;
            this.file = file;
        }

        /** The file of the calling thread: the kept one, or for another thread, one opened for it alone. */
        static synchronized ChildrenFile forCallingThread() throws IOException {
            Thread caller = Thread.currentThread();
            if (kept == null) {
                kept = new ChildrenFile(caller, FileChannel.open(Path.of(CHILDREN)));
            }
            return kept.owner == caller ? kept : new ChildrenFile(caller, null);
        }

        /** The file's whole text, read afresh: the kernel writes it anew for each read from its start. */
        String read() throws IOException {
            if (file == null) {
                try (FileChannel once = FileChannel.open(Path.of(CHILDREN))) {
                    return readFrom(once);
                }
            }
            synchronized (this) {
                return readFrom(file);
            }
        }

        /** Read by position, from 0: one system call when the task left nothing, where a seek and a read took two. */
        private String readFrom(FileChannel from) throws IOException {
            buffer.clear();
            while (from.read(buffer, buffer.position()) > 0) {
                if (!buffer.hasRemaining()) {
                    buffer = ByteBuffer.allocate(buffer.capacity() * 2).put(buffer.flip());
                }
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
        }
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
