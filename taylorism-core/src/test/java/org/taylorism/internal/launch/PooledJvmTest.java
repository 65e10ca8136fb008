package org.taylorism.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.taylorism.internal.child.PooledWorkerMain.NONE_HELD;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.internal.PlainBinary;
import org.taylorism.internal.child.PooledWorkerMain;
import org.taylorism.spi.JvmCommand;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.WorkerOutcome;
import org.taylorism.testing.Awaits;
import org.taylorism.testing.TestWorkers;

/**
 * The pool's side of one pooled JVM, the JVM played by the test frame by frame: what goes to the JVM ahead and in
 * what order, and when the end of a task is posted, against the JVM's word on the task it began next.
 */
class PooledJvmTest {

    @TempDir
    Path directory;

    /** Every task is short: tasks queued behind one that ended go ahead, however loaded the machine. */
    private final PoolLauncher pool = new PoolLauncher(1, 1000, Long.MAX_VALUE);
    private final List<Process> started = new ArrayList<>();
    /** The ends posted, as "name outcome", in order. */
    private final List<String> ends = new CopyOnWriteArrayList<>();
    private final Map<String, Action> atEnd = new ConcurrentHashMap<>();

    @AfterEach
    void close() throws InterruptedException {
        pool.close();
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aJvmsRepliesAreBufferedOnceTheJdksProcessStreamIsBufferedAlready() throws Exception {
        Process process = new ProcessBuilder("true").start();
        try {
            InputStream jdks = process.getInputStream();
            assertSame(jdks, PooledJvm.buffered(jdks), "a buffer over the JDK's own asks the pipe what is left at every reply");
            InputStream plain = new ByteArrayInputStream(new byte[] {1, 2});
            InputStream wrapped = PooledJvm.buffered(plain);
            assertNotSame(plain, wrapped);
            assertEquals(1, wrapped.read());
        } finally {
            assertTrue(process.waitFor(2, TimeUnit.MINUTES));
        }
    }

    @Test
    void aTaskQueuedBehindOneHandedOverAtTheReplyGoesAheadOnlyAfterIt() throws Exception {
        ScriptedJvm process = new ScriptedJvm(null);
        PooledTask big = runningWithBigQueued(process);
        // The Boss queues behind big the moment running's end is posted: before big's request is written.
        whenEnded("running", () -> big.queueNext(spec(4, "small", Map.of()), end("small")));
        process.reply(2, NONE_HELD);

        Awaits.await().until(() -> process.requests().size() == 4);
        assertEquals(List.of("request first", "request running", "ahead big", "ahead small"), process.requests());
    }

    @Test
    void anEndWhoseJvmHeldNoneIsPostedOnceItsJvmSaysItBeganTheTaskSentAhead() throws Exception {
        Ahead ahead = runningWithNextAhead(null);
        ScriptedJvm process = ahead.process();
        PooledTask running = ahead.running();
        PooledTask next = ahead.next();
        assertEquals(List.of("request first", "request running", "ahead next"), process.requests());
        AtomicBoolean begunAtTheEnd = new AtomicBoolean();
        whenEnded("running", () -> begunAtTheEnd.set(next.started()));

        process.reply(2, NONE_HELD);
        process.word(true, 3);
        Awaits.await().until(() -> ends.contains("running Returned"));
        assertTrue(begunAtTheEnd.get(), "running's end waited for the JVM's word");
        process.reply(3, NONE_HELD);
        Awaits.await().until(() -> ends.contains("next Returned"));
    }

    @Test
    void aTaskSentAheadThatItsJvmNamesInTheReplyBeginsWithoutAWord() throws Exception {
        Ahead ahead = runningWithNextAhead(null);
        ScriptedJvm process = ahead.process();
        PooledTask running = ahead.running();
        PooledTask next = ahead.next();
        AtomicBoolean begunAtTheEnd = new AtomicBoolean();
        whenEnded("running", () -> begunAtTheEnd.set(next.started()));

        process.reply(2, 3);
        Awaits.await().until(() -> ends.contains("running Returned"));
        assertTrue(begunAtTheEnd.get());
    }

    @Test
    void aTaskSentAheadAndAskedBackIsSettledByItsJvmsWord() throws Exception {
        Ahead ahead = runningWithNextAhead(null);
        ScriptedJvm process = ahead.process();
        PooledTask running = ahead.running();
        PooledTask next = ahead.next();
        assertFalse(next.withdraw(), "sent ahead: only its JVM can say it did not begin it");
        assertEquals(List.of("request first", "request running", "ahead next", "withdraw 3"), process.requests());
        AtomicBoolean begunAtTheEnd = new AtomicBoolean(true);
        whenEnded("running", () -> begunAtTheEnd.set(next.started()));

        process.word(false, 3);
        process.reply(2, NONE_HELD);
        Awaits.await().until(() -> ends.contains("running Returned"));
        assertFalse(begunAtTheEnd.get());
        assertFalse(next.started());
    }

    @Test
    void stoppingATaskWhoseEndWaitsForItsJvmsWordStopsTheJvmAndPostsThatEnd() throws Exception {
        ProcessHandle standIn = sessionLeader();
        Ahead ahead = runningWithNextAhead(standIn);
        ScriptedJvm process = ahead.process();
        PooledTask running = ahead.running();
        PooledTask next = ahead.next();
        process.reply(2, NONE_HELD); // and the word on next never comes
        Awaits.await().until(ahead.jvm()::awaitsWord);

        running.stop(Duration.ofSeconds(30));
        Awaits.await().until(() -> !standIn.isAlive());
        process.end();
        Awaits.await().until(() -> ends.contains("running Returned"));
        assertFalse(next.started());
        assertEquals("withdraw 3", process.requests().get(3));
    }

    @Test
    void aTaskThatBeganAsItsJvmWasStoppedForTheOneAheadRunsAgainInAnotherJvm() throws Exception {
        ProcessHandle standIn = sessionLeader();
        Ahead ahead = runningWithNextAhead(standIn);
        ScriptedJvm process = ahead.process();
        PooledTask running = ahead.running();
        PooledTask next = ahead.next();

        running.stop(Duration.ofSeconds(30));
        process.reply(2, 3); // it began next before it read the withdrawal; then the stop ends it
        Awaits.await().until(() -> ends.contains("running Returned"));
        process.end();
        Awaits.await().until(() -> ends.contains("next Returned"));
        assertTrue(next.started());
        assertTrue(next.pid().orElseThrow() != standIn.pid(), "a real pooled JVM ran it");
    }

    @Test
    void aTaskThatCannotBeWrittenToItsJvmAtTheReplyRunsInAnotherJvm() throws Exception {
        ScriptedJvm process = new ScriptedJvm(null);
        PooledTask big = runningWithBigQueued(process);
        process.refuseWrites();

        process.reply(2, NONE_HELD);
        Awaits.await().until(() -> ends.contains("big Returned"));
        assertTrue(big.started());
        assertTrue(big.pid().orElseThrow() != process.pid(), "a real pooled JVM ran it");
    }

    /** A JVM running task 2, "running", and task 3, "next", sent ahead behind it. */
    private record Ahead(ScriptedJvm process, PooledJvm jvm, PooledTask running, PooledTask next) {
    }

    /** @param standIn the process the pool signals for the JVM, or null where the test stops nothing */
    private Ahead runningWithNextAhead(ProcessHandle standIn) throws IOException {
        ScriptedJvm process = new ScriptedJvm(standIn);
        PooledJvm jvm = shortTaskDone(process);
        PooledTask running = launch(jvm, spec(2, "running", Map.of()));
        return new Ahead(process, jvm, running, running.queueNext(spec(3, "next", Map.of()), end("next")));
    }

    /**
     * A JVM running task 2, "running", and task 3, "big", queued behind it: too big to go ahead, it waits in the pool
     * and is sent at running's reply.
     */
    private PooledTask runningWithBigQueued(ScriptedJvm process) throws IOException {
        PooledTask running = launch(shortTaskDone(process), spec(2, "running", Map.of()));
        return running.queueNext(spec(3, "big", Map.of("message", "m".repeat(5000))), end("big"));
    }

    /** A process that leads a session of its own, as a pooled JVM does, for the pool to stop. */
    private ProcessHandle sessionLeader() throws IOException {
        assumeTrue(ProcessTree.SETSID != null, "the JVM's stand-in leads a session of its own");
        Process standIn = new ProcessBuilder(ProcessTree.SETSID, "sleep", "600").start();
        started.add(standIn);
        return standIn.toHandle();
    }

    /** A JVM that has run one task, short as they all are here: from then on, tasks queued behind its current one go ahead. */
    private PooledJvm shortTaskDone(ScriptedJvm process) throws IOException {
        PooledJvm jvm = PooledJvm.attach(process, pool, 0, true, null);
        launch(jvm, spec(1, "first", Map.of()));
        process.reply(1, NONE_HELD);
        Awaits.await().until(() -> ends.contains("first Returned"));
        // Back among the pool's idle JVMs: taken out, as the test hands it its tasks itself.
        pool.forget(jvm);
        return jvm;
    }

    private PooledTask launch(PooledJvm jvm, LaunchSpec spec) throws IOException {
        PooledTask task = new PooledTask(jvm, spec, end(spec.name()), PoolFrames.request(spec, false, new PlainBinary.MapWriter()), true);
        assertTrue(jvm.take(task));
        jvm.send(task.request);
        return task;
    }

    /** Runs {@code action} inside the end callback of task {@code name}, on the reader thread, as the Boss might then. */
    private void whenEnded(String name, Action action) {
        atEnd.put(name, action);
    }

    private interface Action {
        void run() throws Exception;
    }

    private Consumer<WorkerOutcome> end(String name) {
        return outcome -> {
            Action action = atEnd.remove(name);
            try {
                if (action != null) {
                    action.run();
                }
            } catch (Exception e) {
                ends.add(name + " hook failed: " + e);
            }
            ends.add(name + " " + outcome.getClass().getSimpleName());
        };
    }

    private LaunchSpec spec(long id, String name, Map<String, Object> values) {
        JvmCommand jvm = new JvmCommand(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), List.of(),
                System.getProperty("java.class.path"), TestWorkers.Echo.class.getName(), List.of());
        return new LaunchSpec(id, name, LaunchSpec.Kind.JAVA, List.of(), jvm, Map.of(), null, directory.resolve(name + ".out"),
                directory.resolve(name + ".err"), null, null, TestWorkers.Echo.class.getName(), 1, null, List.of(),
                values.isEmpty() ? Map.of("message", name) : values, Map.of(), null, null, 0);
    }

    /** A pooled JVM played by the test: what the pool writes is kept, and what the JVM says is fed to it. */
    private static final class ScriptedJvm extends Process {
        private final ProcessHandle handle;
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();
        private final BlockingQueue<byte[]> said = new LinkedBlockingQueue<>();
        private final CountDownLatch gone = new CountDownLatch(1);
        private volatile boolean refusing;

        /** @param handle a real process that stands for it where the pool signals it; null where it does not */
        ScriptedJvm(ProcessHandle handle) {
            this.handle = handle;
        }

        /** The JVM's reply to task {@code id}, a result, naming the task it began next. */
        void reply(long id, long then) throws IOException {
            byte[] outcome = PlainBinary.write(Map.of("status", "ok", "result", "r" + id, "id", id));
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(frame);
            out.writeInt(PooledWorkerMain.FRAME_MAGIC);
            out.writeLong(then);
            out.writeInt(outcome.length);
            out.write(outcome);
            said.add(frame.toByteArray());
        }

        /** The JVM's word on task {@code id}, sent ahead: it began it, or withdrew it. */
        void word(boolean begun, long id) throws IOException {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(frame);
            out.writeInt(PooledWorkerMain.WORD_MAGIC);
            out.writeByte(begun ? PooledWorkerMain.STARTED : PooledWorkerMain.WITHDRAWN);
            out.writeLong(id);
            said.add(frame.toByteArray());
        }

        /** From now on, a write fails, as into a pipe whose reader is gone. */
        void refuseWrites() {
            refusing = true;
        }

        /** The JVM's end: its output ends. */
        void end() {
            said.add(new byte[0]);
        }

        /** What the pool wrote, frame by frame: "request NAME", "ahead NAME" (a request sent ahead), "withdraw ID". */
        List<String> requests() throws IOException {
            byte[] bytes;
            synchronized (written) {
                bytes = written.toByteArray();
            }
            List<String> frames = new ArrayList<>();
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            while (in.available() >= Integer.BYTES) {
                int length = in.readInt();
                if (length == PooledWorkerMain.WITHDRAWAL) {
                    frames.add("withdraw " + in.readLong());
                    continue;
                }
                byte[] body = in.readNBytes(length);
                Map<?, ?> request = (Map<?, ?>) PlainBinary.read(body, "a request");
                frames.add((Boolean.TRUE.equals(request.get("ahead")) ? "ahead " : "request ") + request.get("name"));
            }
            return frames;
        }

        @Override
        public OutputStream getOutputStream() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    if (refusing) {
                        throw new IOException("Broken pipe");
                    }
                    synchronized (written) {
                        written.write(bytes, offset, length);
                    }
                }
            };
        }

        @Override
        public InputStream getInputStream() {
            return new InputStream() {
                private byte[] chunk = new byte[0];
                private int at;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] into, int offset, int length) throws IOException {
                    if (chunk == null) {
                        return -1;
                    }
                    while (at == chunk.length) {
                        try {
                            chunk = said.take();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException(e);
                        }
                        at = 0;
                        if (chunk.length == 0) {
                            chunk = null;
                            gone.countDown();
                            return -1;
                        }
                    }
                    int count = Math.min(length, chunk.length - at);
                    System.arraycopy(chunk, at, into, offset, count);
                    at += count;
                    return count;
                }
            };
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            gone.await();
            return 0;
        }

        @Override
        public int exitValue() {
            if (gone.getCount() > 0) {
                throw new IllegalThreadStateException("running");
            }
            return 0;
        }

        @Override
        public void destroy() {
            end();
        }

        @Override
        public long pid() {
            return handle != null ? handle.pid() : 999_999_999L;
        }

        @Override
        public ProcessHandle toHandle() {
            if (handle == null) {
                throw new UnsupportedOperationException("a scripted JVM");
            }
            return handle;
        }
    }
}
