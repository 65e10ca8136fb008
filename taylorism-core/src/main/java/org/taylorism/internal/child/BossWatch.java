package org.taylorism.internal.child;

import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;

/**
 * Standard input is a pipe from the Boss that it never writes to: end-of-file means the Boss JVM is gone,
 * and this worker, with whatever it started, must go too. The task gets an empty standard input instead.
 * <p>
 * A named class rather than lambdas: the first lambda a JVM meets bootstraps java.lang.invoke and spins
 * classes, a few milliseconds of every fresh worker JVM's start that no class-data archive saves. It reads
 * through a {@link FileChannel} because closing one wakes a thread blocked reading it, which a stream's
 * close does not: HotSpot's exit waits up to 300 ms for any thread still blocked in a system call.
 */
final class BossWatch extends Thread {

    /** What a worker JVM does when its Boss is gone. */
    enum WhenGone implements Runnable {
        /** A training JVM: it leaves no archive behind. */
        HALT {
            @Override
            public void run() {
                Runtime.getRuntime().halt(WorkerMain.ORPHANED_EXIT_CODE);
            }
        },
        /** A task: it stops, with whatever it started. */
        STOP_WORKER {
            @Override
            public void run() {
                System.err.println("taylorism: the Boss is gone; this worker stops.");
                for (ProcessHandle descendant : ProcessHandle.current().descendants().toList()) {
                    descendant.destroyForcibly();
                }
                Runtime.getRuntime().halt(WorkerMain.ORPHANED_EXIT_CODE);
            }
        }
    }

    private final FileChannel fromBoss;
    private final Runnable whenGone;
    private final ResultGate gate;
    private volatile boolean ended;

    /** @param gate what waits for the result of a task that returned before its Boss went */
    BossWatch(FileChannel fromBoss, Runnable whenGone, ResultGate gate) {
        super("taylorism-boss-watch");
        this.fromBoss = fromBoss;
        this.whenGone = whenGone;
        this.gate = gate;
        setDaemon(true);
    }

    /**
     * Watches this JVM's standard input, which the task then no longer sees, through a descriptor of its own where the
     * system gives one: a task that closes {@code FileDescriptor.in} closes every stream on that descriptor object.
     */
    static BossWatch onStandardInput(WhenGone whenGone, ResultGate gate) {
        FileInputStream own;
        try {
            own = new FileInputStream("/proc/self/fd/0");
        } catch (IOException notLinux) {
            own = new FileInputStream(FileDescriptor.in);
        }
        BossWatch watch = new BossWatch(own.getChannel(), whenGone, gate);
        System.setIn(new ByteArrayInputStream(new byte[0]));
        watch.start();
        return watch;
    }

    @Override
    public void run() {
        ByteBuffer ignored = ByteBuffer.allocate(64);
        try {
            while (fromBoss.read(ignored) >= 0) {
                ignored.clear(); // the Boss writes nothing; anything read is dropped
            }
        } catch (ClosedByInterruptException interrupted) {
            // The task interrupted this thread, which closes the channel: the Boss is not gone, and the
            // launcher's own watchdog still stops this JVM if the Boss goes.
            return;
        } catch (IOException brokenOrClosed) {
            // a broken pipe means the same as end-of-file; a close by end() means nothing
        }
        if (!ended) {
            waitWhileTheBossIsTheParent();
        }
        gate.run();
        if (!ended) {
            whenGone.run();
        }
    }

    /**
     * Standard input ended, but its end means the Boss is gone only if the Boss is: a task may have closed the JVM's
     * descriptor 0 itself. While the Boss JVM that launched this one (named by {@link WorkerMain#BOSS_PID_VARIABLE})
     * is still its parent, and alive, its exit is waited for instead.
     */
    private static void waitWhileTheBossIsTheParent() {
        String boss = System.getenv(WorkerMain.BOSS_PID_VARIABLE);
        if (boss == null) {
            return;
        }
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        if (parent == null || !Long.toString(parent.pid()).equals(boss)) {
            return; // orphaned: the Boss is gone
        }
        try {
            parent.onExit().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // cannot be watched: take it as gone
        }
    }

    /** Ends the watch before this JVM exits, so that its exit does not wait for it. */
    void end() {
        ended = true;
        try {
            fromBoss.close();
        } catch (IOException ignored) {
            // the JVM is exiting: at worst it waits for the blocked read
        }
    }
}
