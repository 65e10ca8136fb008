package org.taylorism.internal.launch;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.internal.Json;
import org.taylorism.internal.child.PooledWorkerMain;
import org.taylorism.internal.child.ResultFile;
import org.taylorism.spi.JvmCommand;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.LaunchedWorker;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.spi.WorkerOutcome;

/**
 * Java workers in long-lived JVMs ({@link PooledWorkerMain}), one task at a time each, tasks
 * and outcomes in frames over the JVM's standard input and output. Programs go to a
 * {@link LocalProcessLauncher}.
 *
 * <p>A JVM is taken from the idle ones, or started when there is none (so the pool always has as many JVMs
 * as tasks running); after its task it goes back to the idle ones, unless it has run
 * {@code maxTasksPerJvm} tasks, its task failed (a failure may leave a JVM in a bad state), or
 * {@code idleJvms} are idle already: then it is retired (its standard input closed, it exits). A task that
 * is stopped (timeout, cancel, STOP_RIGHTNOW) takes its JVM with it. A JVM that dies fails only its task,
 * as {@code crashed}. Each JVM has one reader thread, {@code taylorism-pool-N}.
 */
final class PoolLauncher implements WorkerLauncher {

    private static final Logger log = LoggerFactory.getLogger(PoolLauncher.class);
    /** A reply larger than this is a broken channel, not a result (results this big belong in files). */
    private static final int MAX_FRAME_BYTES = 512 * 1024 * 1024;
    private static final AtomicInteger JVM_NUMBERS = new AtomicInteger();

    private final int idleJvms;
    private final int maxTasksPerJvm;
    private final LocalProcessLauncher programs = new LocalProcessLauncher();
    private final Deque<PooledJvm> idle = new ArrayDeque<>();
    private final Set<PooledJvm> all = new HashSet<>();
    private boolean closed;

    PoolLauncher(int idleJvms, int maxTasksPerJvm) {
        if (idleJvms < 1 || maxTasksPerJvm < 1) {
            throw new IllegalArgumentException("a pool needs at least 1 JVM and 1 task per JVM: idleJvms=" + idleJvms
                    + ", maxTasksPerJvm=" + maxTasksPerJvm);
        }
        this.idleJvms = idleJvms;
        this.maxTasksPerJvm = maxTasksPerJvm;
    }

    @Override
    public String name() {
        return "pool";
    }

    /** What a dead Boss's workers of the run left on this machine: waited for, stopped if need be (see {@link LeftBehind}). */
    @Override
    public List<String> stopLeftBehind(Path runDirectory) throws IOException {
        return LeftBehind.stop(runDirectory);
    }

    @Override
    public boolean readsTaskFiles() {
        return false;
    }

    @Override
    public LaunchedWorker launch(LaunchSpec spec, Consumer<WorkerOutcome> onEnd) throws IOException {
        if (spec.kind() == LaunchSpec.Kind.COMMAND) {
            return programs.launch(spec, onEnd);
        }
        PooledJvm jvm = take(spec);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", spec.id());
        request.put("workerClass", spec.workerClass());
        request.put("name", spec.name());
        request.put("ticket", spec.ticket());
        request.put("values", spec.values());
        request.put("stdout", spec.stdout().toString());
        request.put("stderr", spec.stderr().toString());
        if (spec.bossContact() != null) {
            request.put("boss", spec.bossContact().toMap());
        }
        PooledTask task = new PooledTask(jvm, spec);
        jvm.assign(spec, onEnd, task);
        try {
            jvm.send(Json.writePlain(request));
        } catch (IOException e) {
            jvm.unassign();
            jvm.retire();
            throw new IOException("could not hand the task to pooled JVM " + jvm.process.pid() + ": " + e.getMessage(), e);
        }
        return task;
    }

    /**
     * One task in a pooled JVM. Once the task is over, its JVM may already run the next task: stopping or
     * pausing this one then does nothing, instead of hitting the next.
     */
    private static final class PooledTask implements LaunchedWorker {
        private final PooledJvm jvm;
        private final LaunchSpec spec;
        /** How many processes the task left running, as its JVM's reply said (they were stopped there). */
        private volatile int leftBehind;

        PooledTask(PooledJvm jvm, LaunchSpec spec) {
            this.jvm = jvm;
            this.spec = spec;
        }

        @Override
        public int leftBehind() {
            return leftBehind;
        }

        @Override
        public OptionalLong pid() {
            return jvm.pid();
        }

        @Override
        public void stop(Duration grace) {
            synchronized (jvm) {
                if (jvm.spec == spec) {
                    jvm.stop(grace);
                }
            }
        }

        @Override
        public void pause() {
            synchronized (jvm) {
                if (jvm.spec == spec) {
                    jvm.pause();
                }
            }
        }

        @Override
        public void resume() {
            synchronized (jvm) {
                if (jvm.spec == spec) {
                    jvm.resume();
                }
            }
        }
    }

    private PooledJvm take(LaunchSpec spec) throws IOException {
        synchronized (this) {
            if (closed) {
                throw new IOException("the pool is closed");
            }
            PooledJvm jvm = idle.poll();
            if (jvm != null) {
                return jvm;
            }
        }
        PooledJvm started = PooledJvm.start(spec, this);
        programs.watch(started.process.pid());
        synchronized (this) {
            all.add(started);
        }
        return started;
    }

    /** After a task: back to the idle JVMs, or retired. */
    private void release(PooledJvm jvm, boolean healthy) {
        synchronized (this) {
            if (!closed && healthy && jvm.tasksDone < maxTasksPerJvm && idle.size() < idleJvms) {
                idle.push(jvm);
                return;
            }
            all.remove(jvm);
        }
        jvm.retire();
    }

    private void forget(PooledJvm jvm) {
        synchronized (this) {
            idle.remove(jvm);
            all.remove(jvm);
        }
        programs.forget(jvm.process.pid());
    }

    @Override
    public void close() {
        List<PooledJvm> jvms;
        synchronized (this) {
            closed = true;
            jvms = new ArrayList<>(all);
            all.clear();
            idle.clear();
        }
        jvms.forEach(PooledJvm::retire);
        for (PooledJvm jvm : jvms) {
            try {
                if (!jvm.process.waitFor(2, TimeUnit.SECONDS)) {
                    ProcessTree.kill(jvm.process.toHandle(), ProcessTree.SETSID != null);
                }
                jvm.process.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ProcessTree.kill(jvm.process.toHandle(), ProcessTree.SETSID != null);
            }
            programs.forget(jvm.process.pid());
        }
        programs.close();
    }

    /** One long-lived worker JVM, and the launched worker of whichever task it runs now. */
    private static final class PooledJvm extends ProcessWorker {

        private final DataOutputStream toJvm;
        private final PoolLauncher pool;
        /** Names this JVM in a complaint about one of its replies; made once, not at every reply. */
        private final String replySource;
        private volatile LaunchSpec spec;
        private volatile Consumer<WorkerOutcome> onEnd;
        private volatile PooledTask handle;
        private int tasksDone;

        private PooledJvm(Process process, PoolLauncher pool) {
            super(process, pool.programs.escalation());
            this.pool = pool;
            this.toJvm = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
            this.replySource = "a reply of pooled JVM " + process.pid();
        }

        static PooledJvm start(LaunchSpec spec, PoolLauncher pool) throws IOException {
            int number = JVM_NUMBERS.incrementAndGet();
            JvmCommand jvmCommand = spec.jvm().withMain(PooledWorkerMain.class.getName(), List.of());
            // Pooled JVMs run many short tasks: the quick C1 compiler warms them up about twice as fast as C2's
            // compilations, which compete with the tasks for the CPUs. An option of the user's own wins.
            if (!jvmCommand.hasOption("-XX:TieredStopAtLevel") && !jvmCommand.hasOption("-XX:-TieredCompilation")
                    && !jvmCommand.hasOption("-XX:+TieredCompilation")) {
                jvmCommand = jvmCommand.withDefaultOption("-XX:TieredStopAtLevel=1");
            }
            List<String> command = new ArrayList<>();
            if (ProcessTree.SETSID != null) {
                command.add(ProcessTree.SETSID);
            }
            command.addAll(jvmCommand.toList());
            Path log = spec.stdout().resolveSibling("pool-jvm-" + number + ".log");
            Process process = new ProcessBuilder(command).redirectError(Redirect.appendTo(log.toFile())).start();
            PooledJvm jvm = new PooledJvm(process, pool);
            Thread reader = new Thread(jvm::readReplies, "taylorism-pool-" + number);
            reader.setDaemon(true);
            reader.start();
            PoolLauncher.log.debug("Started pooled JVM {} (pid {}), log {}", number, process.pid(), log);
            return jvm;
        }

        synchronized void assign(LaunchSpec task, Consumer<WorkerOutcome> callback, PooledTask handle) {
            this.spec = task;
            this.onEnd = callback;
            this.handle = handle;
        }

        synchronized void unassign() {
            this.spec = null;
            this.onEnd = null;
            this.handle = null;
        }

        synchronized void send(byte[] frame) throws IOException {
            toJvm.writeInt(frame.length);
            toJvm.write(frame);
            toJvm.flush();
        }

        /** Closes the JVM's standard input: it exits once its task (if any) is over. */
        void retire() {
            try {
                synchronized (this) {
                    toJvm.close();
                }
            } catch (IOException ignored) {
                // gone already
            }
        }

        private void readReplies() {
            try (DataInputStream fromJvm = new DataInputStream(new BufferedInputStream(process.getInputStream()))) {
                while (true) {
                    skipToFrame(fromJvm);
                    int length = fromJvm.readInt();
                    if (length < 0 || length > MAX_FRAME_BYTES) {
                        throw new IOException("a reply frame of " + length + " bytes");
                    }
                    byte[] frame = new byte[length];
                    fromJvm.readFully(frame);
                    if (!(Json.readPlain(frame, replySource) instanceof Map<?, ?> reply)) {
                        throw new IOException("a reply that is not a JSON object");
                    }
                    long id = reply.get("id") instanceof Number number ? number.longValue() : -1;
                    LaunchSpec task = spec;
                    Consumer<WorkerOutcome> callback = onEnd;
                    PooledTask ended = handle;
                    if (task == null || id != task.id()) {
                        PoolLauncher.log.warn("Pooled JVM {} answered for a task it does not run: {}", process.pid(), reply);
                        continue;
                    }
                    if (ended != null && reply.get(ResultFile.LEFT_BEHIND) instanceof Number left) {
                        ended.leftBehind = Math.max(0, left.intValue());
                    }
                    unassign();
                    tasksDone++;
                    WorkerOutcome outcome = Outcomes.ofReply(reply, replySource, null);
                    pool.release(this, outcome instanceof WorkerOutcome.Returned);
                    callback.accept(outcome);
                }
            } catch (EOFException end) {
                died();
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                PoolLauncher.log.warn("Pooled JVM {} sent something that is not a frame; it is replaced", process.pid(), e);
                ProcessTree.kill(process.toHandle(), ProcessTree.SETSID != null);
                died();
            }
        }

        /**
         * Reads up to the next frame's magic number. Bytes before it are the JVM's own prints on its standard
         * output, outside the channel: they are logged and skipped.
         */
        private void skipToFrame(DataInputStream fromJvm) throws IOException {
            int window = 0;
            int read = 0;
            StringBuilder skipped = new StringBuilder();
            while (true) {
                int next = fromJvm.read();
                if (next < 0) {
                    throw new EOFException();
                }
                window = window << 8 | next;
                if (++read >= 4 && window == PooledWorkerMain.FRAME_MAGIC) {
                    if (skipped.length() > 3) {
                        PoolLauncher.log.info("Pooled JVM {} printed on its standard output, outside the channel: {}", process.pid(),
                                skipped.substring(0, skipped.length() - 3).strip());
                    }
                    return;
                }
                if (skipped.length() < 2000) {
                    skipped.append((char) next);
                }
            }
        }

        /** The JVM is gone: its task, if it had one, ends without a result. */
        private void died() {
            pool.forget(this);
            int exitCode;
            try {
                exitCode = process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exitCode = -1;
            }
            LaunchSpec task = spec;
            Consumer<WorkerOutcome> callback = onEnd;
            unassign();
            if (task != null && callback != null) {
                try {
                    callback.accept(new WorkerOutcome.Died(exitCode, ProcessTree.signalOf(exitCode), Outcomes.stderrTail(task.stderr())));
                } catch (RuntimeException e) {
                    PoolLauncher.log.error("Could not report the end of worker {}", task.name(), e);
                }
            }
        }

        @Override
        public String toString() {
            return "pooled JVM " + process.pid() + (spec == null ? "" : " running " + spec.name());
        }
    }
}
