package org.taylorism.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a launcher needs to start one worker, fixed when the Boss decides to launch it: later changes to
 * the Boss's configuration cannot reach a worker already on its way.
 *
 * @param id the Boss's number for this launch, unique within the Boss
 * @param name the worker's name
 * @param kind whether {@link #command()} starts a worker JVM or the user's own program
 * @param command the program and arguments a local launcher runs; a launcher that wraps (srun, a container)
 *     runs this same command inside. For {@link Kind#JAVA} it ends with {@code org.taylorism.WorkerMain TASK_FILE},
 *     what comes before being the JVM and its options
 * @param environment variables to add to the launcher's own environment
 * @param directory working directory, or null for the Boss's
 * @param stdout file that receives the worker's standard output
 * @param stderr file that receives the worker's standard error
 * @param taskFile for {@link Kind#JAVA}: the JSON file holding the worker class and its attribute values
 * @param resultFile for {@link Kind#JAVA}: the file the worker writes its result or error to
 * @param workerClass for {@link Kind#JAVA}: the worker's class name (a warm pool runs it without a new JVM)
 * @param ticket the scheduler's slot number
 * @param memoryMb the memory the instruction set declared, in MiB, or null
 * @param cpus CPUs to bind the worker to, empty for no binding
 * @param values for {@link Kind#JAVA}: the attribute values in their JSON form, for launchers that pass them
 *     inline instead of through the task file
 * @param instructions the instruction set as given, for launchers that read keys of their own (a cluster
 *     launcher's CPUs per worker)
 * @param timeout the time the Boss gives the worker to run (its {@code timeout}, raised on a retry, or the
 *     Boss's default), or null for none: a cluster launcher asks for a little more as its time limit
 */
public record LaunchSpec(long id, String name, Kind kind, List<String> command, Map<String, String> environment,
                         Path directory, Path stdout, Path stderr, Path taskFile, Path resultFile, String workerClass,
                         int ticket, Integer memoryMb, List<Integer> cpus, Map<String, Object> values,
                         Map<String, Object> instructions, Duration timeout) {

    public LaunchSpec {
        command = List.copyOf(command);
        cpus = List.copyOf(cpus);
        environment = Map.copyOf(environment);
    }

    /** The JVM and its options: {@link #command()} without its main class and task file ({@link Kind#JAVA} only). */
    public List<String> jvm() {
        return command.subList(0, command.size() - 2);
    }

    /** What {@link #command()} starts. */
    public enum Kind {
        /** A JVM running {@code org.taylorism.WorkerMain} on the task file; its result comes back in the result file. */
        JAVA,
        /** The user's own program; its exit code is its result. */
        COMMAND
    }
}
