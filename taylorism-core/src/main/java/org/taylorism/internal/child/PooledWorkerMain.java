package org.taylorism.internal.child;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.taylorism.BossContact;
import org.taylorism.ErrorInfo;
import org.taylorism.OutputLostException;
import org.taylorism.internal.PlainBinary;

/**
 * Entry point of a pooled worker JVM: runs task after task, as the warm pool sends them.
 *
 * <p>The channel is this process's standard output, and its standard input or the descriptor the pool names
 * ({@code --requests-fd}), in frames (a 4-byte length, then that many bytes). A request is a map in {@link PlainBinary}'s form:
 * {@code {"id", "workerClass", "name", "ticket", "values", "stdout", "stderr", "boss", "ahead"}}; the pool may send
 * requests ahead, while a task runs, and withdraw them ({@link HeldRequests}). A reply starts with
 * {@link #FRAME_MAGIC}, then the id of the task this JVM begins next (or none), then the task's outcome with its
 * {@code id}: in that form when its result is plain, and otherwise as JSON (the mapper's, for an error or a record),
 * told apart by their first byte. While a task runs, {@code System.out} and
 * {@code System.err} go to its own files, each created at its first byte (a silent task leaves none);
 * between tasks, to this JVM's standard error, so that nothing but
 * frames ever reaches the channel from Java code. End-of-file on the requests (the pool retires this JVM,
 * or the Boss is gone) ends it, once what it holds has run; so does a failed task.
 */
public final class PooledWorkerMain {

    /**
     * Starts every reply: what the JVM itself prints on standard output (a JFR or GC message, a native library)
     * is then told apart from the replies, and skipped.
     */
    public static final int FRAME_MAGIC = 0x54617931; // "Tay1"
    /** Starts a word about a request sent ahead: a kind ({@link #STARTED} or {@link #WITHDRAWN}), then its 8-byte id. */
    public static final int WORD_MAGIC = 0x54617932; // "Tay2"
    public static final byte STARTED = 'S';
    public static final byte WITHDRAWN = 'W';
    /** In a reply, in place of the id of the task begun next: none was held, and the next request read begins. */
    public static final long NONE_HELD = Long.MIN_VALUE;
    /** In a reply, in place of the id of the task begun next: nothing more begins in this JVM. */
    public static final long NOTHING_MORE = Long.MIN_VALUE + 1;
    /** In place of a request's length: the withdrawal of a request sent ahead, whose 8-byte id follows. */
    public static final int WITHDRAWAL = -1;

    private PooledWorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        DataInputStream requests = new DataInputStream(new BufferedInputStream(requestChannel(args)));
        DataOutputStream replies = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        PrintStream between = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        // Made once, pointed at each task's files in turn: a PrintStream and its buffers cost more than a trivial task.
        OutputFile stdout = new OutputFile();
        OutputFile stderr = new OutputFile();
        PrintStream taskOut = new PrintStream(new BufferedOutputStream(stdout), false, StandardCharsets.UTF_8);
        PrintStream taskErr = new PrintStream(new BufferedOutputStream(stderr), true, StandardCharsets.UTF_8);
        System.setIn(new ByteArrayInputStream(new byte[0]));
        System.setOut(between);
        System.setErr(between);
        HeldRequests held = new HeldRequests(requests, replies, between);
        // A task that calls System.exit still leaves its last words in its files. A JVM being stopped (its task's
        // timeout, a cancel) begins nothing more: a task that ends just then does not hand its JVM to the next one.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            held.shutDown();
            System.out.flush();
            System.err.flush();
        }, "taylorism-pool-flush"));
        Channel channel = new Channel(held, replies, between, stdout, stderr, taskOut, taskErr);
        // One task per call of a method of its own: the JIT compiles it after a few hundred tasks. A loop body in main
        // ran interpreted until an on-stack replacement tens of thousands of tasks later, at twice the CPU per task.
        try {
            Request next = channel.requests().next();
            while (next != null) {
                next = serveOne(channel, next);
            }
        } catch (IOException | RuntimeException | Error e) {
            // A broken channel: this JVM ends, even with threads a task left running, and the pool reports its task.
            e.printStackTrace(between);
            System.exit(1);
        }
        System.exit(0);
    }

    /**
     * The pool's requests: on the descriptor {@code args} name ({@code --requests-fd 3}: the pool then gave this JVM
     * {@code /dev/null} as its standard input, which the processes a task starts inherit), or standard input.
     */
    private static InputStream requestChannel(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--requests-fd")) {
            return new FileInputStream("/dev/fd/" + Integer.parseInt(args[1]));
        }
        return new FileInputStream(FileDescriptor.in);
    }

    /** This JVM's ends of the channel, and the task's streams pointed at its files in turn. */
    private record Channel(HeldRequests requests, DataOutputStream replies, PrintStream between, OutputFile stdout,
                           OutputFile stderr, PrintStream taskOut, PrintStream taskErr) {
    }

    /** Runs {@code request} and replies; returns the task to run next, or null at the end of the requests. */
    private static Request serveOne(Channel channel, Request request) throws IOException {
        channel.stdout().open(request.stdout());
        channel.stderr().open(request.stderr());
        TaskRunner.Outcome outcome;
        int left;
        System.setOut(channel.taskOut());
        System.setErr(channel.taskErr());
        try {
            outcome = TaskRunner.run(request.workerClass(), request.ticket(), request.values(), request.boss());
        } finally {
            left = TaskLeftovers.stop();
            if (left > 0) {
                channel.taskErr().println("taylorism: this task left " + left + " process" + (left == 1 ? "" : "es")
                        + " running when it ended; stopped (TERM, then KILL after 5 s)");
            }
            channel.taskOut().flush();
            channel.taskErr().flush();
            System.setOut(channel.between());
            System.setErr(channel.between());
        }
        // PrintStream keeps write errors to itself: output that could not be kept fails the task, by name.
        IOException lost = channel.stdout().end();
        IOException lostToo = channel.stderr().end();
        if (lost != null || lostToo != null) {
            outcome = new TaskRunner.Outcome(null, ErrorInfo.of(OutputLostException.class.getName(),
                    "could not write the task's output: " + (lost != null ? lost : lostToo).getMessage()));
        }
        return reply(channel, outcome, request, left);
    }

    /**
     * Tells the pool the task's outcome, how many processes it left running when there were any, and which task this
     * JVM begins next (see {@link HeldRequests}); returns that task, or the next one read, or null for none.
     */
    private static Request reply(Channel channel, TaskRunner.Outcome outcome, Request request, int left) throws IOException {
        ResultFile.PoolReply reply = ResultFile.poolReply(outcome, request.name(), left == 0 ? Map.of("id", request.id())
                : Map.of("id", request.id(), ResultFile.LEFT_BEHIND, left));
        long then = channel.requests().declare(reply.returned());
        DataOutputStream replies = channel.replies();
        replies.writeInt(FRAME_MAGIC);
        replies.writeLong(then);
        replies.writeInt(reply.bytes().length);
        replies.write(reply.bytes());
        replies.flush();
        return then != NONE_HELD && then != NOTHING_MORE ? channel.requests().takeDeclared() : channel.requests().next();
    }

    /** One task, as the pool sends it. */
    record Request(long id, String workerClass, String name, int ticket, Map<String, Object> values, String stdout, String stderr,
                   BossContact boss, boolean ahead) {

        /** The request in a frame, read without the databind mapper; a missing or mistyped field is named. */
        static Request of(Object json) throws IOException {
            if (!(json instanceof Map<?, ?> root)) {
                throw new IOException("a request from the pool is not a JSON object: " + json);
            }
            if (!(root.get("values") instanceof Map<?, ?> values)) {
                throw new IOException("a request from the pool has no \"values\" object: " + root);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> attributeValues = (Map<String, Object>) values;
            return new Request(field(root, "id", Number.class).longValue(), field(root, "workerClass", String.class),
                    field(root, "name", String.class), field(root, "ticket", Number.class).intValue(), attributeValues,
                    field(root, "stdout", String.class), field(root, "stderr", String.class), contact(root.get("boss")),
                    Boolean.TRUE.equals(root.get("ahead")));
        }

        private static BossContact contact(Object boss) throws IOException {
            if (boss != null && !(boss instanceof Map<?, ?>)) {
                throw new IOException("a request from the pool has a \"boss\" that is not an object");
            }
            try {
                return BossContact.fromMap((Map<?, ?>) boss);
            } catch (IllegalArgumentException e) {
                throw new IOException("a request from the pool has a bad \"boss\": " + e.getMessage(), e);
            }
        }

        private static <T> T field(Map<?, ?> root, String key, Class<T> type) throws IOException {
            Object value = root.get(key);
            if (!type.isInstance(value)) {
                throw new IOException("a request from the pool has no " + type.getSimpleName() + " \"" + key + "\": " + root);
            }
            return type.cast(value);
        }
    }

    /**
     * The current task's output file, created at its first byte: at thousands of tasks a second, most of
     * which print nothing, creating two empty files per task would cost more than running them. Between
     * tasks (a thread a task left behind), what is written goes nowhere.
     */
    private static final class OutputFile extends OutputStream {
        private String path;
        private FileOutputStream file;
        private IOException failure;

        void open(String taskPath) {
            path = taskPath;
            file = null;
            failure = null;
        }

        /** Ends the task's file; returns why some of its output could not be written, if it could not. */
        IOException end() {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException e) {
                    lost(e);
                }
            }
            path = null;
            file = null;
            return failure;
        }

        private void lost(IOException e) {
            if (failure == null) {
                String message = String.valueOf(e.getMessage());
                failure = message.contains(path) ? e : new IOException(path + ": " + message, e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0 || path == null || failure != null) {
                return;
            }
            try {
                if (file == null) {
                    file = new FileOutputStream(path);
                }
                file.write(bytes, offset, length);
            } catch (IOException e) {
                lost(e);
            }
        }
    }
}
