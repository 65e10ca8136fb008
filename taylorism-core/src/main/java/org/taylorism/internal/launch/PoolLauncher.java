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
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.internal.child.PooledWorkerMain;
import org.taylorism.internal.child.ResultFile;
import org.taylorism.spi.JvmCommand;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.LaunchedWorker;
import org.taylorism.spi.QueuedWorker;
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
 *
 * <p>Tasks the Boss queues behind a running one ({@link QueuedWorker}, its prefetch) wait here, not in the JVM, which
 * still sees one task at a time: the reader thread, under the JVM's lock, makes the first one current at the reply
 * (not behind a failure or a stop), posts the end of the task ahead, then sends it. A withdrawal is a removal from
 * this queue under the same lock, so it is certain; a JVM that can no longer take the task (its input closed) is
 * retired and the task moves to another JVM.
 */
final class PoolLauncher implements WorkerLauncher {

    private static final Logger log = LoggerFactory.getLogger(PoolLauncher.class);
    /** A reply larger than this is a broken channel, not a result (results this big belong in files). */
    /** The most tasks queued for one JVM, while its tasks are short. */
    private static final int MAX_QUEUED = 4;
    /** A task shorter than this is short: about the Boss's round trip between two tasks on a loaded machine. */
    private static final long SHORT_TASK_NANOS = 20_000_000L;
    private static final AtomicInteger JVM_NUMBERS = new AtomicInteger();

    private final int idleJvms;
    private final int maxTasksPerJvm;
    private final LocalProcessLauncher programs = new LocalProcessLauncher();
    private final Deque<PooledJvm> idle = new ArrayDeque<>();
    private final Set<PooledJvm> all = new HashSet<>();
    private volatile boolean closed;

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
        PooledTask task = new PooledTask(jvm, spec, onEnd, PoolFrames.request(spec), true);
        synchronized (jvm) {
            if (jvm.dead) {
                throw new IOException("could not hand the task to pooled JVM " + jvm.process.pid() + ": it has just died");
            }
            jvm.current = task;
            jvm.currentSince = System.nanoTime();
        }
        try {
            jvm.send(task.request);
        } catch (IOException e) {
            if (!jvm.takeBack(task)) {
                return task; // the JVM died meanwhile: its reader reports the task's end
            }
            jvm.retire();
            throw new IOException("could not hand the task to pooled JVM " + jvm.process.pid() + ": " + e.getMessage(), e);
        }
        return task;
    }

    /**
     * One task of a pooled JVM: the one it runs, or one queued for it, here in the pool, until the task ahead ends.
     * Once the task is over, its JVM may already run the next task: stopping or pausing this one then does nothing,
     * instead of hitting the next.
     */
    private static final class PooledTask implements QueuedWorker {
        private final PooledJvm jvm;
        private final LaunchSpec spec;
        private final Consumer<WorkerOutcome> onEnd;
        private final byte[] request;
        /** True from the start for a task handed to an idle JVM; for a queued one, set when the task ahead ends. */
        private volatile boolean started;
        /** How many processes the task left running, as its JVM's reply said (they were stopped there). */
        private volatile int leftBehind;
        /**
         * Where the task goes when its own JVM could not take it when its turn came; what the Boss asks between that and
         * the move, when neither JVM runs it, is passed on at the move.
         */
        private final Relocation relocation = new Relocation();

        PooledTask(PooledJvm jvm, LaunchSpec spec, Consumer<WorkerOutcome> onEnd, byte[] request, boolean started) {
            this.jvm = jvm;
            this.spec = spec;
            this.onEnd = onEnd;
            this.request = request;
            this.started = started;
        }

        @Override
        public boolean started() {
            return started;
        }

        @Override
        public int leftBehind() {
            LaunchedWorker moved = relocation.movedTo();
            return moved != null ? moved.leftBehind() : leftBehind;
        }

        @Override
        public OptionalLong pid() {
            LaunchedWorker moved = relocation.movedTo();
            return moved != null ? moved.pid() : jvm.pid();
        }

        @Override
        public boolean queuesNext() {
            synchronized (jvm) {
                return jvm.current == this && jvm.canQueue();
            }
        }

        @Override
        public QueuedWorker queueNext(LaunchSpec next, Consumer<WorkerOutcome> callback) throws IOException {
            if (next.kind() != LaunchSpec.Kind.JAVA) {
                return null;
            }
            PooledTask queued = new PooledTask(jvm, next, callback, PoolFrames.request(next), false);
            synchronized (jvm) {
                if (jvm.current != this || !jvm.canQueue()) {
                    return null;
                }
                jvm.queued.add(queued);
                return queued;
            }
        }

        /** Withdrawn for sure while it is still queued here: only the JVM's reader thread starts it, under the same lock. */
        @Override
        public boolean withdraw() {
            synchronized (jvm) {
                return jvm.queued.remove(this);
            }
        }

        @Override
        public void stop(Duration grace) {
            relocation.stop(grace, () -> {
                synchronized (jvm) {
                    if (jvm.current == this) {
                        // What is queued for the JVM does not start: it goes with it.
                        jvm.stopping = true;
                        jvm.stop(grace);
                    }
                }
            });
        }

        @Override
        public void pause() {
            relocation.pause(() -> {
                synchronized (jvm) {
                    if (jvm.current == this) {
                        jvm.paused = true;
                        // Not in the middle of a request's write: a JVM stopped then would never drain its pipe.
                        synchronized (jvm.toJvm) {
                            jvm.pause();
                        }
                    }
                }
            });
        }

        @Override
        public void resume() {
            relocation.resume(() -> {
                synchronized (jvm) {
                    if (jvm.current == this) {
                        jvm.paused = false;
                        jvm.resume();
                    }
                }
            });
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

    private boolean closed() {
        return closed;
    }

    /** Runs {@code task}, whose JVM could not take it when its turn came, in another JVM; it crashes if none can take it. */
    private void moveElsewhere(PooledTask task) {
        try {
            PooledJvm other = take(task.spec);
            PooledTask moved = new PooledTask(other, task.spec, task.onEnd, task.request, true);
            synchronized (other) {
                if (other.dead) {
                    throw new IOException("it has just died");
                }
                other.current = moved;
                other.currentSince = System.nanoTime();
            }
            task.relocation.moveTo(moved);
            try {
                other.send(moved.request);
            } catch (IOException e) {
                if (!other.takeBack(moved)) {
                    return; // that JVM died meanwhile: its reader reports the task's end
                }
                other.retire();
                throw e;
            }
        } catch (IOException e) {
            task.onEnd.accept(new WorkerOutcome.Died(-1, null, "taylorism: no pooled JVM could take this task: " + e.getMessage()));
        }
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
        /** The task it runs, or null. Guarded by this JVM's monitor, as are the fields below. */
        private PooledTask current;
        /** The tasks queued behind {@link #current}, in the order they are to run. */
        private final Deque<PooledTask> queued = new ArrayDeque<>();
        /** When {@link #current} started (System.nanoTime), and how long the task before it took. */
        private long currentSince;
        private long lastTaskNanos = Long.MAX_VALUE;
        private int tasksDone;
        /** Its task is being stopped, and the JVM with it. */
        private boolean stopping;
        private boolean retired;
        /** Stopped by SIGSTOP for its task. */
        private boolean paused;
        /** Its reader saw the end of its output: nothing can be handed to it. */
        private boolean dead;
        /** The queued task that became current at the last reply, until its request is sent. */
        private PooledTask toHandOver;

        private PooledJvm(Process process, PoolLauncher pool) {
            super(process, pool.programs.escalation());
            this.pool = pool;
            this.toJvm = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
            this.replySource = "a reply of pooled JVM " + process.pid();
        }

        static PooledJvm start(LaunchSpec spec, PoolLauncher pool) throws IOException {
            int number = JVM_NUMBERS.incrementAndGet();
            JvmCommand jvmCommand = PooledJvmCommand.of(spec, System.getenv());
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

        /**
         * Whether one more task may be queued behind the current one: not beyond the tasks this JVM may run, nor while it
         * is being stopped. One is queued always; more, up to {@link #MAX_QUEUED}, while tasks are short: a task shorter
         * than the Boss's round trip would end before the Boss has queued the next, and the JVM would wait.
         */
        boolean canQueue() {
            if (stopping || retired || dead || pool.closed() || tasksDone + 1 + queued.size() + 1 > pool.maxTasksPerJvm) {
                return false;
            }
            return queued.isEmpty() || queued.size() < MAX_QUEUED && lastTaskNanos < SHORT_TASK_NANOS;
        }

        /**
         * Writes a request. Not under the JVM's monitor, which the Boss thread takes to queue tasks: a thread preempted in
         * the middle of a write (which wakes the JVM) would keep it spinning on that monitor. One request is in flight
         * at a time: the JVM's launch, or the handover at its reply.
         */
        void send(byte[] frame) throws IOException {
            synchronized (toJvm) {
                toJvm.writeInt(frame.length);
                toJvm.write(frame);
                toJvm.flush();
            }
        }

        /**
         * After a request for {@code task} could not be written: takes the task back from the JVM, unless the JVM's end
         * took it first (its reader then reports it) or it is being stopped (its end comes with the JVM's).
         */
        synchronized boolean takeBack(PooledTask task) {
            if (current != task || dead || stopping) {
                return false;
            }
            current = null;
            return true;
        }

        /** Closes the JVM's standard input: it exits once its task (if any) is over. */
        void retire() {
            synchronized (this) {
                retired = true;
            }
            try {
                synchronized (toJvm) {
                    toJvm.close();
                }
            } catch (IOException ignored) {
                // gone already
            }
        }

        private void readReplies() {
            try (DataInputStream fromJvm = new DataInputStream(new BufferedInputStream(process.getInputStream()))) {
                while (true) {
                    Map<?, ?> reply = PoolFrames.reply(fromJvm, process.pid(), replySource);
                    long id = reply.get("id") instanceof Number number ? number.longValue() : -1;
                    WorkerOutcome outcome = Outcomes.ofReply(reply, replySource, null);
                    PooledTask ended = taskEnded(id, reply, outcome instanceof WorkerOutcome.Returned);
                    if (ended != null) {
                        // Its end first, then the next task: whatever that task asks of the Boss comes after.
                        ended.onEnd.accept(outcome);
                        handOverNext();
                    }
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
         * Settles a reply: the task it answers ends, and the first task queued for the JVM becomes its current one,
         * unless the task that ended failed or is being stopped (a JVM in a bad state, or about to die: what is queued
         * then does not start). A JVM left without a task goes back to the pool. Returns the ended task, or null when
         * the reply answers none.
         */
        private PooledTask taskEnded(long id, Map<?, ?> reply, boolean healthy) {
            PooledTask ended;
            boolean free;
            synchronized (this) {
                ended = current;
                if (ended == null || id != ended.spec.id()) {
                    PoolLauncher.log.warn("Pooled JVM {} answered for a task it does not run: {}", process.pid(), reply);
                    return null;
                }
                if (reply.get(ResultFile.LEFT_BEHIND) instanceof Number left) {
                    ended.leftBehind = Math.max(0, left.intValue());
                }
                tasksDone++;
                long now = System.nanoTime();
                lastTaskNanos = now - currentSince;
                currentSince = now;
                current = null;
                if (paused) {
                    // Paused just as its task ended: the JVM goes on, for the next task or for the pool.
                    paused = false;
                    resume();
                }
                healthy &= !stopping;
                if (healthy && !queued.isEmpty()) {
                    current = queued.poll();
                    current.started = true;
                    toHandOver = current;
                } else {
                    queued.clear();
                }
                free = current == null;
            }
            if (free) {
                pool.release(this, healthy);
            }
            return ended;
        }

        /**
         * Sends the JVM the task that became its current one at the last reply, if one did. A JVM that cannot take it
         * (its last task closed its standard input, or it is exiting) is retired, and another JVM runs the task.
         */
        private void handOverNext() {
            PooledTask next;
            synchronized (this) {
                next = toHandOver;
                toHandOver = null;
                if (next == null || next != current || dead) {
                    return;
                }
            }
            try {
                send(next.request);
                return;
            } catch (IOException e) {
                if (!takeBack(next)) {
                    return;
                }
                PoolLauncher.log.debug("Could not hand {} to {}; another JVM runs it", next.spec.name(), this, e);
            }
            retire();
            pool.moveElsewhere(next);
        }

        /** The JVM is gone: its task, if it had one, ends without a result, and the task queued behind it never starts. */
        private void died() {
            pool.forget(this);
            int exitCode;
            try {
                exitCode = process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exitCode = -1;
            }
            PooledTask ended;
            synchronized (this) {
                dead = true;
                ended = current;
                current = null;
                queued.clear();
            }
            if (ended != null) {
                try {
                    ended.onEnd.accept(new WorkerOutcome.Died(exitCode, ProcessTree.signalOf(exitCode), Outcomes.stderrTail(ended.spec.stderr())));
                } catch (RuntimeException e) {
                    PoolLauncher.log.error("Could not report the end of worker {}", ended.spec.name(), e);
                }
            }
        }

        @Override
        public String toString() {
            PooledTask task;
            synchronized (this) {
                task = current;
            }
            return "pooled JVM " + process.pid() + (task == null ? "" : " running " + task.spec.name());
        }
    }
}
