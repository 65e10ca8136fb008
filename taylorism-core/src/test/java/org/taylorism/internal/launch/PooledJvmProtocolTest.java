package org.taylorism.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.taylorism.internal.child.PooledWorkerMain.NONE_HELD;
import static org.taylorism.internal.child.PooledWorkerMain.NOTHING_MORE;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.internal.PlainBinary;
import org.taylorism.internal.child.PooledWorkerMain;
import org.taylorism.spi.JvmCommand;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.testing.TestWorkers;

/**
 * A real pooled JVM, driven frame by frame as the pool drives it: requests sent ahead while a task runs, withdrawals,
 * and the JVM's word on which task it begins. Each test is bounded: a JVM that never answers fails it, and is killed.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PooledJvmProtocolTest {

    @TempDir
    Path directory;

    private Process jvm;
    private DataOutputStream toJvm;
    private DataInputStream fromJvm;
    private final PlainBinary.FrameReader frames = new PlainBinary.FrameReader();
    private Path gate;
    private boolean ownDescriptor;

    @BeforeEach
    void start() throws IOException {
        // The pool's own command line: its requests on descriptor 3, /dev/null as its standard input.
        JvmCommand command = new JvmCommand(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), List.of(),
                System.getProperty("java.class.path"), TestWorkers.Echo.class.getName(), List.of());
        LaunchSpec spec = new LaunchSpec(1, "w", LaunchSpec.Kind.JAVA, List.of(), command, Map.of(), null, directory.resolve("w.out"),
                directory.resolve("w.err"), null, null, TestWorkers.Echo.class.getName(), 1, null, List.of(), Map.of(), Map.of(), null,
                null, 0);
        PooledJvmCommand.Line line = PooledJvmCommand.commandLine(spec, Map.of(), null);
        ownDescriptor = line.requestsOwnDescriptor();
        jvm = new ProcessBuilder(line.words()).redirectError(directory.resolve("jvm.log").toFile()).start();
        toJvm = new DataOutputStream(new BufferedOutputStream(jvm.getOutputStream()));
        fromJvm = new DataInputStream(new BufferedInputStream(jvm.getInputStream()));
        gate = directory.resolve("gate");
    }

    @AfterEach
    void stop() throws InterruptedException {
        // The JVM leads a session of its own: its group goes, as the pool's stop does it.
        ProcessTree.kill(jvm.toHandle(), ProcessTree.SETSID != null);
        jvm.waitFor(30, TimeUnit.SECONDS);
    }

    @Test
    void aRequestSentAheadIsNamedInTheReplyOfTheTaskAheadAndBeginsWithoutAWord() throws IOException {
        send(gated(1, false), echo(2, true));
        Files.createFile(gate);

        assertReply(1, 2);
        assertReply(2, NONE_HELD);
    }

    @Test
    void aRequestAskedBackBeforeTheTaskAheadEndsIsWithdrawnAndTheJvmGoesOn() throws IOException {
        send(gated(1, false), echo(2, true));
        withdraw(2);
        Files.createFile(gate);

        assertWord(false, 2);
        assertReply(1, NONE_HELD);
        send(echo(3, false));
        assertReply(3, NONE_HELD);
    }

    @Test
    void aRequestSentAheadOnceTheJvmHeldNoneIsAnnouncedBeforeItBegins() throws IOException {
        send(echo(1, false));
        assertReply(1, NONE_HELD);

        send(echo(2, true));
        assertWord(true, 2);
        assertReply(2, NONE_HELD);
    }

    @Test
    void anAskingBackThatComesOnceTheTaskBeganIsIgnored() throws IOException {
        send(echo(1, false));
        assertReply(1, NONE_HELD);
        send(gated(2, true));
        assertWord(true, 2);

        withdraw(2);
        Files.createFile(gate);
        assertReply(2, NONE_HELD);
        send(echo(3, false));
        assertReply(3, NONE_HELD);
    }

    @Test
    void aProcessATaskStartsDoesNotReadThePoolsRequestsFromTheStandardInputItInherits() throws IOException {
        assumeTrue(ownDescriptor, "this machine has no /bin/sh or /dev/fd: requests come on standard input, and none is sent ahead");
        send(request(1, TestWorkers.StdinReader.class, Map.of("program", "cat"), false), echo(2, true));

        PoolFrames.Reply reply = assertInstanceOf(PoolFrames.Reply.class, next());
        assertEquals(0, ((Number) reply.outcome().get("result")).intValue(), "cat read an empty input: " + reply.outcome());
        assertEquals(2, reply.then());
        assertReply(2, NONE_HELD);
    }

    @Test
    void afterAFailedTaskNothingMoreBeginsAndTheJvmEnds() throws IOException, InterruptedException {
        send(request(1, TestWorkers.Thrower.class, Map.of("fail_with", "bad"), false),
                request(2, TestWorkers.Nap.class, Map.of("nap_seconds", 0.0), true));

        PoolFrames.Reply reply = assertInstanceOf(PoolFrames.Reply.class, next());
        assertEquals("error", reply.outcome().get("status"));
        assertEquals(NOTHING_MORE, reply.then());
        assertThrows(EOFException.class, this::next, "the JVM ends, and the task behind the failure never began");
        assertEquals(0, jvm.waitFor());
        assertFalse(Files.exists(directory.resolve("2.out")));
    }

    private byte[] gated(long id, boolean ahead) throws IOException {
        return request(id, TestWorkers.Gated.class, Map.of("gate_file", gate.toString()), ahead);
    }

    private byte[] echo(long id, boolean ahead) throws IOException {
        return request(id, TestWorkers.Echo.class, Map.of("message", "m" + id), ahead);
    }

    private byte[] request(long id, Class<?> worker, Map<String, Object> values, boolean ahead) throws IOException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", id);
        request.put("workerClass", worker.getName());
        request.put("name", "t" + id);
        request.put("ticket", 1);
        request.put("values", values);
        request.put("stdout", directory.resolve(id + ".out").toString());
        request.put("stderr", directory.resolve(id + ".err").toString());
        if (ahead) {
            request.put("ahead", true);
        }
        byte[] body = PlainBinary.write(request);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(frame);
        out.writeInt(body.length);
        out.write(body);
        return frame.toByteArray();
    }

    /** Writes {@code frames} in one write: the JVM finds them all in its pipe at once. */
    private void send(byte[]... frames) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] frame : List.of(frames)) {
            all.write(frame);
        }
        toJvm.write(all.toByteArray());
        toJvm.flush();
    }

    private void withdraw(long id) throws IOException {
        toJvm.writeInt(PooledWorkerMain.WITHDRAWAL);
        toJvm.writeLong(id);
        toJvm.flush();
    }

    private PoolFrames.FromJvm next() throws IOException {
        return PoolFrames.next(fromJvm, frames, jvm.pid(), "a reply of the test's JVM");
    }

    private void assertReply(long id, long then) throws IOException {
        PoolFrames.Reply reply = assertInstanceOf(PoolFrames.Reply.class, next());
        assertEquals(id, ((Number) reply.outcome().get("id")).longValue(), reply.outcome().toString());
        assertEquals("ok", reply.outcome().get("status"), reply.outcome().toString());
        assertEquals(then, reply.then(), "the task begun after " + id);
    }

    private void assertWord(boolean started, long id) throws IOException {
        assertEquals(new PoolFrames.Word(started, id), next());
    }
}
