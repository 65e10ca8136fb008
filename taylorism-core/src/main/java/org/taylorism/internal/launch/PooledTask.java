package org.taylorism.internal.launch;

import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.LaunchedWorker;
import org.taylorism.spi.QueuedWorker;
import org.taylorism.spi.WorkerOutcome;

/**
 * One task of a pooled JVM: the one it runs, or one queued for it until the task ahead ends, either here in the pool
 * or sent ahead to the JVM ({@link PooledJvm}). Once the task is over, its JVM may already run the next task: stopping
 * or pausing this one then does nothing, instead of hitting the next.
 */
final class PooledTask implements QueuedWorker {

    final PooledJvm jvm;
    final LaunchSpec spec;
    final Consumer<WorkerOutcome> onEnd;
    final byte[] request;
    /** True from the start for a task handed to an idle JVM; for a queued one, set when its JVM says it began it. */
    private volatile boolean started;
    /** How many processes the task left running, as its JVM's reply said (they were stopped there). */
    private volatile int leftBehind;
    /** Sent to the JVM while the task ahead ran; and since then asked back. Guarded by the JVM's monitor. */
    boolean sentAhead;
    boolean withdrawing;
    /**
     * Where the task goes when its own JVM could not take it when its turn came; what the Boss asks between that and
     * the move, when neither JVM runs it, is passed on at the move.
     */
    final Relocation relocation = new Relocation();

    PooledTask(PooledJvm jvm, LaunchSpec spec, Consumer<WorkerOutcome> onEnd, byte[] request, boolean started) {
        this.jvm = jvm;
        this.spec = spec;
        this.onEnd = onEnd;
        this.request = request;
        this.started = started;
    }

    void begun() {
        started = true;
    }

    void leftBehind(int count) {
        leftBehind = Math.max(0, count);
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
    public PooledTask queueNext(LaunchSpec next, Consumer<WorkerOutcome> callback) throws IOException {
        if (next.kind() != LaunchSpec.Kind.JAVA) {
            return null;
        }
        // A task with a contact to the Boss is never sent ahead (see PooledJvm#queue): no need to mark it.
        PooledTask queued = new PooledTask(jvm, next, callback, jvm.pool.request(next, next.bossContact() == null), false);
        synchronized (jvm.toJvm) {
            boolean ahead;
            synchronized (jvm) {
                if (jvm.current != this || !jvm.canQueue()) {
                    return null;
                }
                ahead = jvm.queue(queued);
            }
            if (ahead) {
                jvm.sendAhead(queued);
            }
        }
        return queued;
    }

    /**
     * Withdrawn for sure while it is still queued here: only the JVM's reader thread starts it, under the same lock.
     * One sent ahead is asked back; whether the JVM began it shows at the end of the task ahead.
     */
    @Override
    public boolean withdraw() {
        synchronized (jvm) {
            if (!sentAhead) {
                return jvm.queued.remove(this);
            }
            if (withdrawing || !jvm.queued.contains(this)) {
                return false;
            }
            withdrawing = true;
        }
        jvm.askBack(this);
        return false;
    }

    @Override
    public void stop(Duration grace) {
        relocation.stop(grace, () -> jvm.stopFor(this, grace));
    }

    @Override
    public void pause() {
        relocation.pause(() -> {
            // Not in the middle of a request's write: a JVM stopped then would never drain its pipe.
            synchronized (jvm.toJvm) {
                synchronized (jvm) {
                    if (jvm.current == this) {
                        jvm.paused = true;
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
