package org.taylorism.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.taylorism.BossContact;

/**
 * Everything a launcher needs to start one worker, fixed when the Boss decides to launch it: later changes to
 * the Boss's configuration cannot reach a worker already on its way.
 *
 * @param id the Boss's number for this task, unique within the Boss (a retry keeps it)
 * @param name the worker's name
 * @param kind whether it is a worker JVM or the user's own program
 * @param program for {@link Kind#COMMAND}: the program and its arguments; empty for {@link Kind#JAVA}
 * @param jvm for {@link Kind#JAVA}: how its JVM starts, {@code WorkerMain} on the task file; null for a program. For a
 *     launcher that reads no task files ({@link WorkerLauncher#readsTaskFiles}), one command for many tasks (those bound
 *     to as many CPUs, while the class-data archive's options stay), naming no task file, with a crash log per process
 *     in the run directory: such a launcher starts its JVMs its own way, from this command
 * @param environment variables to add to the launcher's own environment
 * @param directory working directory, or null for the Boss's
 * @param stdout file that receives the worker's standard output
 * @param stderr file that receives the worker's standard error
 * @param taskFile for {@link Kind#JAVA}: the JSON file holding the worker class and its attribute values; null for a
 *     launcher that reads no task files
 * @param resultFile for {@link Kind#JAVA}: the file the worker writes its result or error to; null for a launcher that
 *     reads no task files (it gets the outcome its own way)
 * @param workerClass the worker's class name (a warm pool runs it without a new JVM)
 * @param ticket the scheduler's slot number
 * @param memoryMb the memory the instruction set declared, in MiB, or null
 * @param cpus CPUs to bind the worker to, empty for no binding
 * @param values for {@link Kind#JAVA}: the attribute values in their JSON form, for launchers that pass them
 *     inline instead of through the task file; read-only (it may be the task's own map)
 * @param instructions the instruction set as given, for launchers that read keys of their own (a cluster
 *     launcher's CPUs per worker)
 * @param timeout the time the Boss gives the worker to run (its {@code timeout}, raised on a retry, or the
 *     Boss's default), or null for none: a cluster launcher asks for a little more as its time limit
 * @param bossContact for {@link Kind#JAVA}: how the worker reaches its Boss for sub-tasks, or null; a launcher that
 *     passes values inline passes it too (a launcher that reads task files finds it there)
 * @param stdoutInResult for {@link Kind#COMMAND}: the program's standard output is its result when it succeeds
 *     with at most this many bytes of text; 0 for never (and for a Java worker)
 */
public record LaunchSpec(long id, String name, Kind kind, List<String> program, JvmCommand jvm, Map<String, String> environment,
                         Path directory, Path stdout, Path stderr, Path taskFile, Path resultFile, String workerClass,
                         int ticket, Integer memoryMb, List<Integer> cpus, Map<String, Object> values,
                         Map<String, Object> instructions, Duration timeout, BossContact bossContact,
                         int stdoutInResult) {

    public LaunchSpec {
        program = List.copyOf(program);
        cpus = List.copyOf(cpus);
        environment = Map.copyOf(environment);
        if ((kind == Kind.JAVA) != (jvm != null)) {
            throw new IllegalArgumentException("a " + kind + " worker " + (jvm == null ? "needs" : "has no") + " JVM command");
        }
    }

    /** The command a local launcher runs: the program, or the worker JVM's command line. */
    public List<String> command() {
        return kind == Kind.JAVA ? jvm.toList() : program;
    }

    /** What a worker is. */
    public enum Kind {
        /**
         * A Java worker: a JVM running {@code WorkerMain} on the task file, its result coming back in the result file;
         * or, for a launcher that reads no task files, a task it runs its own way (a pooled JVM).
         */
        JAVA,
        /** The user's own program; its exit code is its result. */
        COMMAND
    }
}
