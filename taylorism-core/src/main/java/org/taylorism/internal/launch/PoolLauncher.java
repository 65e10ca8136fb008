package org.taylorism.internal.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.taylorism.internal.PlainBinary;
import org.taylorism.internal.child.PooledWorkerMain;
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
 * <p>Tasks the Boss queues behind a running one ({@link QueuedWorker}, its prefetch) go to that JVM ahead, when they
 * can, and it begins them as soon as its task ends, saying so; the others wait here, and are sent at the reply. See
 * {@link PooledJvm}. A JVM that can no longer take a task sent at the reply (its input closed) is retired, and the
 * task moves to another JVM.
 */
final class PoolLauncher implements WorkerLauncher {

    /** A task shorter than this is short: about the Boss's round trip between two tasks on a loaded machine. */
    private static final long SHORT_TASK_NANOS = 20_000_000L;

    private final int idleJvms;
    final int maxTasksPerJvm;
    final long shortTaskNanos;
    final LocalProcessLauncher programs = new LocalProcessLauncher();
    private final Deque<PooledJvm> idle = new ArrayDeque<>();
    private final Set<PooledJvm> all = new HashSet<>();
    private volatile boolean closed;
    /** Where requests are written, then copied out whole: one buffer for the pool, rather than one per task. */
    private final PlainBinary.MapWriter requestWriter = new PlainBinary.MapWriter();

    PoolLauncher(int idleJvms, int maxTasksPerJvm) {
        this(idleJvms, maxTasksPerJvm, SHORT_TASK_NANOS);
    }

    /** @param shortTaskNanos a task shorter than this is short ({@link PooledJvm#canQueue}); tests make every task short */
    PoolLauncher(int idleJvms, int maxTasksPerJvm, long shortTaskNanos) {
        if (idleJvms < 1 || maxTasksPerJvm < 1) {
            throw new IllegalArgumentException("a pool needs at least 1 JVM and 1 task per JVM: idleJvms=" + idleJvms
                    + ", maxTasksPerJvm=" + maxTasksPerJvm);
        }
        this.idleJvms = idleJvms;
        this.maxTasksPerJvm = maxTasksPerJvm;
        this.shortTaskNanos = shortTaskNanos;
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
        return handToAJvm(spec, onEnd, request(spec, false), task -> { });
    }

    /** The frame that hands {@code spec} to a JVM (see {@link PoolFrames#request}). */
    byte[] request(LaunchSpec spec, boolean ahead) throws IOException {
        synchronized (requestWriter) {
            return PoolFrames.request(spec, ahead, requestWriter);
        }
    }

    /**
     * A task for {@code spec}, made the current one of a JVM from the pool (an idle one, or a new one) and sent to it;
     * {@code taken} is told of it before the send.
     *
     * @throws IOException when no JVM could take it: it did not start
     */
    private PooledTask handToAJvm(LaunchSpec spec, Consumer<WorkerOutcome> onEnd, byte[] request, Consumer<PooledTask> taken)
            throws IOException {
        PooledJvm jvm = take(spec);
        PooledTask task = new PooledTask(jvm, spec, onEnd, request, true);
        if (!jvm.take(task)) {
            throw new IOException("could not hand the task to pooled JVM " + jvm.process.pid() + ": it has just died");
        }
        taken.accept(task);
        try {
            jvm.send(request);
        } catch (IOException e) {
            if (!jvm.takeBack(task)) {
                return task; // the JVM died meanwhile: its reader reports the task's end
            }
            jvm.retire();
            throw new IOException("could not hand the task to pooled JVM " + jvm.process.pid() + ": " + e.getMessage(), e);
        }
        return task;
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
    void release(PooledJvm jvm, boolean healthy) {
        synchronized (this) {
            if (!closed && healthy && jvm.tasksDone < maxTasksPerJvm && idle.size() < idleJvms) {
                idle.push(jvm);
                return;
            }
            all.remove(jvm);
        }
        jvm.retire();
    }

    boolean closed() {
        return closed;
    }

    /** Runs {@code task}, whose JVM could not take it when its turn came, in another JVM; it crashes if none can take it. */
    void moveElsewhere(PooledTask task) {
        if (task.relocation.stopped()) {
            // Stopped by the Boss meanwhile: it ends as a killed task would, without running again.
            task.onEnd.accept(new WorkerOutcome.Died(128 + 9, "KILL", null));
            return;
        }
        try {
            handToAJvm(task.spec, task.onEnd, task.request, task.relocation::moveTo);
        } catch (IOException e) {
            task.onEnd.accept(new WorkerOutcome.Died(-1, null, "taylorism: no pooled JVM could take this task: " + e.getMessage()));
        }
    }

    void forget(PooledJvm jvm) {
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
}
