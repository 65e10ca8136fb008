package org.taylorism.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.taylorism.Scheduler;
import org.taylorism.internal.launch.Launchers;

/**
 * Starts workers: fresh JVMs and programs on this machine, a warm pool of JVMs, job steps on a cluster.
 *
 * <p>Contract: {@link #launch} returns quickly (it starts the work, it does not wait for it) and calls
 * {@code onEnd} exactly once per launched worker, from any thread, whatever happens to the worker,
 * including when it is stopped. {@code onEnd} may come before {@code launch} returns, even from within it:
 * the Boss copes (a process that exits at once, a launcher with nothing to start). A launcher is
 * used by one Boss thread at a time but its callbacks may run concurrently.
 */
public interface WorkerLauncher extends AutoCloseable {

    /** Name shown in logs and chosen on the command line ({@code --launcher NAME}). */
    String name();

    /**
     * Starts one worker.
     *
     * @throws IOException when it could not be started (the worker is then reported as failed, and
     *     {@code onEnd} is not called)
     */
    LaunchedWorker launch(LaunchSpec spec, Consumer<WorkerOutcome> onEnd) throws IOException;

    /**
     * Called by the Boss after the launches of one scheduling decision, on the Boss thread: a launcher that
     * batches launches (a Slurm job array) starts them here. A worker that then cannot start is reported
     * through its {@code onEnd}.
     */
    default void flush() {
    }

    /**
     * Stops the workers an earlier Boss left running with their files in {@code runDirectory} (a Boss that died
     * without stopping them: its machine lost, its watchdog killed too), and returns once they are gone, saying
     * what it stopped, one line each. A run that resumes that Boss's run calls it before it launches anything,
     * so that no set runs twice at once. Local launchers have nothing to stop: their workers die with their Boss.
     *
     * @throws IOException when the launcher cannot tell what is left, or cannot stop it
     */
    default List<String> stopLeftBehind(Path runDirectory) throws IOException {
        return List.of();
    }

    /** Whether the launcher needs the task file of Java workers (a pool passes the values inline instead). */
    default boolean readsTaskFiles() {
        return true;
    }

    /**
     * The scheduler a Boss uses when it is given none: one worker per CPU of this machine, unless the
     * launcher knows better (a cluster allocation lets its own CPUs decide).
     */
    default Scheduler defaultScheduler() {
        return Scheduler.maxThreads(0);
    }

    /**
     * The scheduler the Boss uses with this launcher: {@code scheduler} itself, or wrapped so that it never
     * launches what the launcher cannot start now (a cluster allocation's free CPUs). Called once, when the
     * Boss is built.
     */
    default Scheduler constrain(Scheduler scheduler) {
        return scheduler;
    }

    /**
     * Releases the launcher's own resources (threads, helper processes); workers still running are the Boss's to
     * stop first. The Boss closes its launcher last, when it is closed.
     */
    @Override
    default void close() {
    }

    /** The default launcher: every worker is a child process of this JVM. */
    static WorkerLauncher localProcesses() {
        return Launchers.localProcesses();
    }

    /**
     * Java workers run in long-lived JVMs, one task at a time each: fast for many short Java tasks. At most
     * {@code idleJvms} JVMs are kept waiting; a JVM is replaced after {@code maxTasksPerJvm} tasks, after any
     * task that failed, and when a task is stopped. Programs ({@code command}) still run as processes.
     */
    static WorkerLauncher warmPool(int idleJvms, int maxTasksPerJvm) {
        return Launchers.warmPool(idleJvms, maxTasksPerJvm);
    }
}
