package org.taylorism;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Entry point of a pooled worker JVM: runs task after task, as the warm pool sends them.
 *
 * <p>The channel is this process's standard input and output, in frames (a 4-byte length, then that many
 * bytes of JSON; replies start with {@link #FRAME_MAGIC} before the length). Requests: {@code {"id", "workerClass", "name", "ticket", "values", "stdout", "stderr"}};
 * replies: the task's outcome with its {@code id}. While a task runs, {@code System.out} and
 * {@code System.err} go to its own files; between tasks, to this JVM's standard error, so that nothing but
 * frames ever reaches the channel from Java code. End-of-file on standard input (the pool retires this JVM,
 * or the Boss is gone) ends it.
 */
public final class PooledWorkerMain {

    /**
     * Starts every reply: what the JVM itself prints on standard output (a JFR or GC message, a native library)
     * is then told apart from the replies, and skipped.
     */
    public static final int FRAME_MAGIC = 0x54617931; // "Tay1"

    private PooledWorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        DataInputStream requests = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
        DataOutputStream replies = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        PrintStream between = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.setIn(new ByteArrayInputStream(new byte[0]));
        System.setOut(between);
        System.setErr(between);
        // A task that calls System.exit still leaves its last words in its files.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.flush();
            System.err.flush();
        }, "taylorism-pool-flush"));
        while (true) {
            byte[] frame;
            try {
                frame = new byte[requests.readInt()];
                requests.readFully(frame);
            } catch (EOFException end) {
                System.exit(0);
                return;
            }
            JsonNode request = Json.MAPPER.readTree(frame);
            ObjectNode outcome = runOne(request, between);
            outcome.put("id", request.path("id").asLong());
            byte[] reply = Json.MAPPER.writeValueAsBytes(outcome);
            replies.writeInt(FRAME_MAGIC);
            replies.writeInt(reply.length);
            replies.write(reply);
            replies.flush();
        }
    }

    @SuppressWarnings("unchecked")
    private static ObjectNode runOne(JsonNode request, PrintStream between) {
        try (PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(request.path("stdout").asText())),
                false, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(new BufferedOutputStream(new FileOutputStream(request.path("stderr").asText())),
                     true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            System.setErr(err);
            try {
                return WorkerMain.run(request.path("workerClass").asText(), request.path("name").asText(),
                        request.path("ticket").asInt(), Json.MAPPER.convertValue(request.path("values"), Map.class));
            } finally {
                System.out.flush();
                System.err.flush();
                System.setOut(between);
                System.setErr(between);
            }
        } catch (IOException e) {
            return org.taylorism.spi.ResultFile.error(ErrorInfo.of(e));
        }
    }
}
