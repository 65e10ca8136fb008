package org.taylorism.internal.child;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taylorism.BossContact;
import org.taylorism.ErrorInfo;
import org.taylorism.OutputLostException;
import org.taylorism.internal.PlainJson;

/**
 * Entry point of a pooled worker JVM: runs task after task, as the warm pool sends them.
 *
 * <p>The channel is this process's standard input and output, in frames (a 4-byte length, then that many
 * bytes of JSON; replies start with {@link #FRAME_MAGIC} before the length). Requests: {@code {"id", "workerClass", "name", "ticket", "values", "stdout", "stderr"}};
 * replies: the task's outcome with its {@code id}. The pool may send the next task while one runs ({@code "queued":
 * true}: it starts as soon as the one ahead ends, with no round trip) and withdraw it ({@code {"withdraw": ID}}).
 * Frames that came in while a task ran are read before its reply, which names the task this JVM starts now
 * ({@code "next"}): the pool knows from the reply alone whether the queued task started. A queued task that comes later than that reply is dropped. After a task that failed, this
 * JVM exits, and starts nothing queued. While a task runs, {@code System.out} and
 * {@code System.err} go to its own files, each created at its first byte (a silent task leaves none);
 * between tasks, to this JVM's standard error, so that nothing but
 * frames ever reaches the channel from Java code. End-of-file on standard input (the pool retires this JVM,
 * or the Boss is gone) ends it.
 */
public final class PooledWorkerMain {

    /**
     * Starts every reply: what the JVM itself prints on standard output (a JFR or GC message, a native library)
     * is then told apart from the replies, and skipped.
     */
    public static final int FRAME_MAGIC = 0x54617931; // "Tay1"
    /** The request that withdraws a queued task: {@code {"withdraw": ID}}. */
    public static final String WITHDRAW = "withdraw";
    /** In a reply: the id of the queued task that this JVM starts now; absent when it starts none. */
    public static final String NEXT = "next";
    /** In a request: the task is queued behind the one running, to start when it ends if the reply names it. */
    public static final String QUEUED = "queued";

    private PooledWorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        DataInputStream requests = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
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
        // A task that calls System.exit still leaves its last words in its files.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.flush();
            System.err.flush();
        }, "taylorism-pool-flush"));
        Deque<Request> queued = new ArrayDeque<>();
        while (true) {
            Request request = queued.isEmpty() ? nextTask(requests) : queued.poll();
            if (request == null) {
                System.exit(0);
                return;
            }
            stdout.open(request.stdout());
            stderr.open(request.stderr());
            TaskRunner.Outcome outcome;
            int left;
            System.setOut(taskOut);
            System.setErr(taskErr);
            try {
                outcome = TaskRunner.run(request.workerClass(), request.ticket(), request.values(), request.boss());
            } finally {
                left = TaskLeftovers.stop();
                if (left > 0) {
                    taskErr.println("taylorism: this task left " + left + " process" + (left == 1 ? "" : "es")
                            + " running when it ended; stopped (TERM, then KILL after 5 s)");
                }
                taskOut.flush();
                taskErr.flush();
                System.setOut(between);
                System.setErr(between);
            }
            outcome = keptOutput(outcome, stdout, stderr);
            // What came in while the task ran settles, before the reply, which task starts next: the reply says.
            readAhead(requests, queued);
            boolean failed = outcome.error() != null;
            Request next = failed ? null : queued.peek();
            reply(replies, outcome, request, left, next);
            if (failed) {
                // A failure may leave this JVM in a bad state: nothing queued behind it starts (the reply named none).
                System.exit(0);
                return;
            }
        }
    }

    /**
     * The task's outcome, or its failure when some of its output could not be written: PrintStream keeps write errors
     * to itself, and output that could not be kept fails the task, by name.
     */
    private static TaskRunner.Outcome keptOutput(TaskRunner.Outcome outcome, OutputFile stdout, OutputFile stderr) {
        IOException lost = stdout.end();
        IOException lostToo = stderr.end();
        if (lost == null && lostToo == null) {
            return outcome;
        }
        return new TaskRunner.Outcome(null, ErrorInfo.of(OutputLostException.class.getName(),
                "could not write the task's output: " + (lost != null ? lost : lostToo).getMessage()));
    }

    /**
     * The next task handed to this idle JVM, waited for; null at the end of the channel. A queued task that came
     * after the reply of the task it was queued behind is dropped: that reply did not name it, so the pool knows it
     * did not start. A late withdrawal (of a task that ran already) is dropped too.
     */
    private static Request nextTask(DataInputStream requests) throws IOException {
        while (true) {
            byte[] frame;
            try {
                frame = new byte[requests.readInt()];
                requests.readFully(frame);
            } catch (EOFException end) {
                return null;
            }
            Request request = Request.of(PlainJson.read(frame, "a request from the pool"));
            if (request.withdraw() < 0 && !request.queued()) {
                return request;
            }
        }
    }

    /**
     * Takes the frames already sent, without waiting: tasks queued behind the one that ran, and withdrawals of those,
     * which take them out of the queue.
     */
    private static void readAhead(DataInputStream requests, Deque<Request> queued) throws IOException {
        while (requests.available() > 0) {
            byte[] frame = new byte[requests.readInt()];
            requests.readFully(frame);
            Request request = Request.of(PlainJson.read(frame, "a request from the pool"));
            if (request.withdraw() < 0) {
                if (request.queued()) {
                    queued.add(request);
                }
            } else {
                queued.removeIf(task -> task.id() == request.withdraw());
            }
        }
    }

    /**
     * Tells the pool the task's outcome, how many processes it left running when there were any, and which task this
     * JVM starts now, when it starts one.
     */
    private static void reply(DataOutputStream replies, TaskRunner.Outcome outcome, Request request, int left, Request next)
            throws IOException {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("id", request.id());
        if (left > 0) {
            extra.put(ResultFile.LEFT_BEHIND, left);
        }
        if (next != null) {
            extra.put(NEXT, next.id());
        }
        byte[] reply = ResultFile.json(outcome, request.name(), extra);
        replies.writeInt(FRAME_MAGIC);
        replies.writeInt(reply.length);
        replies.write(reply);
        replies.flush();
    }

    /**
     * One task, as the pool sends it; or, when {@code withdraw} is not negative, the withdrawal of the task of that id,
     * queued earlier ({@code {"withdraw": ID}}).
     */
    record Request(long id, String workerClass, String name, int ticket, Map<String, Object> values, String stdout, String stderr,
                   BossContact boss, long withdraw, boolean queued) {

        /** The request in a frame, read without the databind mapper; a missing or mistyped field is named. */
        static Request of(Object json) throws IOException {
            if (!(json instanceof Map<?, ?> root)) {
                throw new IOException("a request from the pool is not a JSON object: " + json);
            }
            if (root.containsKey(WITHDRAW)) {
                long id = field(root, WITHDRAW, Number.class).longValue();
                return new Request(-1, null, null, -1, Map.of(), null, null, null, Math.max(0, id), false);
            }
            if (!(root.get("values") instanceof Map<?, ?> values)) {
                throw new IOException("a request from the pool has no \"values\" object: " + root);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> attributeValues = (Map<String, Object>) values;
            return new Request(field(root, "id", Number.class).longValue(), field(root, "workerClass", String.class),
                    field(root, "name", String.class), field(root, "ticket", Number.class).intValue(), attributeValues,
                    field(root, "stdout", String.class), field(root, "stderr", String.class), contact(root.get("boss")), -1,
                    Boolean.TRUE.equals(root.get(QUEUED)));
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
