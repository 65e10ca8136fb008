package org.taylorism.internal.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.taylorism.internal.child.PooledWorkerMain;
import org.taylorism.spi.JvmCommand;
import org.taylorism.spi.LaunchSpec;

/**
 * The command of a pooled JVM: the worker JVM's command of the launch that starts it, running
 * {@link PooledWorkerMain}, with three defaults for a JVM that runs many short tasks. Each gives way to a choice of the
 * user's own, on the command line or in the environment variables the JVM reads.
 * <ul>
 *   <li>{@code -XX:TieredStopAtLevel=1}: the quick C1 compiler warms a pooled JVM up about twice as fast as C2's
 *       compilations, which compete with the tasks for the CPUs.</li>
 *   <li>{@code -XX:+UseSerialGC}: on a small heap, the serial collector costs a pooled JVM about a third less CPU per
 *       trivial task than G1 (18-20 µs against 26-32 on a 2-core machine), whose barriers and concurrent threads pay
 *       off on big heaps. Only where the user did not size the heap: the serial collector holds each big object in
 *       one piece of its old generation, so that a small heap holds smaller objects than under G1. A pool of tasks with
 *       big heaps is better off with {@code -XX:+UseG1GC} among the Boss's Java options.</li>
 *   <li>{@code -Xms64m}: a small initial heap, which grows as the tasks need. With the default one (1/64 of the
 *       machine's memory), the first pass through a young generation of hundreds of megabytes touches fresh pages, and
 *       their page faults doubled the CPU of a pooled JVM's first 30,000 or so trivial tasks; a small one is reused at
 *       once (20 µs per task from the 5,000th task on). Any heap size the user gave, or a share of the memory, wins.</li>
 * </ul>
 */
final class PooledJvmCommand {

    /** A collector chosen, or turned off, by name: {@code -XX:+UseG1GC}, {@code -XX:-UseParallelGC}, ... */
    private static final Pattern COLLECTOR = Pattern.compile("-XX:[+-]Use\\w*GC\\b");
    /** A heap sized by the user, as a size, a share of the machine's memory, or a young generation's size. */
    private static final Pattern HEAP_SIZE = Pattern.compile("-Xm[snx]|-XX:\\w*(HeapSize|RAMPercentage|RAMFraction|MaxRAM|NewSize|NewRatio)");
    private static final String INITIAL_HEAP = "-Xms64m";
    /** Where the JVM also reads options from; a collector chosen there and a second one on the command line stop it. */
    private static final List<String> OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    /**
     * Moves the pool's requests from the JVM's standard input to descriptor 3, and gives it {@code /dev/null} as its
     * standard input: requests sent ahead wait in the pipe while a task runs, and a process the task starts inherits
     * standard input (the JDK closes the descriptors above 2 in the processes it starts). The redirections are the
     * JVM's own, on its {@code exec}: some shells close the descriptors above 2 that a bare {@code exec} opened.
     */
    private static final List<String> REQUESTS_ON_3 = List.of("/bin/sh", "-c", "exec \"$@\" 3<&0 </dev/null", "taylorism-pool");
    private static final String ERROR_FILE = "-XX:ErrorFile=";
    /** The argument of {@link PooledWorkerMain} that names the descriptor of its requests, opened as /dev/fd/N. */
    static final String REQUESTS_FD = "--requests-fd";

    private PooledJvmCommand() {
    }

    /** A pooled JVM's whole command line, and whether it reads its requests on a descriptor of their own. */
    record Line(List<String> words, boolean requestsOwnDescriptor) {
    }

    /**
     * The whole command line of a pooled JVM: in a session of its own where {@code setsid} exists, its requests on
     * descriptor 3 where {@code /bin/sh} and {@code /dev/fd} exist.
     *
     * @param crashLog where the JVM writes its crash log, instead of where the spec's first task would have its own
     *     (the JVM outlives it); null to leave it as the spec says
     */
    static Line commandLine(LaunchSpec spec, Map<String, String> environment, Path crashLog) {
        List<String> line = new ArrayList<>();
        if (ProcessTree.SETSID != null) {
            line.add(ProcessTree.SETSID);
        }
        JvmCommand command = of(spec, environment);
        if (crashLog != null) {
            command = withCrashLog(command, crashLog);
        }
        boolean ownDescriptor = Files.isExecutable(Path.of(REQUESTS_ON_3.get(0))) && Files.isDirectory(Path.of("/dev/fd"));
        if (ownDescriptor) {
            line.addAll(REQUESTS_ON_3);
            command = command.withMain(command.mainClass(), List.of(REQUESTS_FD, "3"));
        }
        line.addAll(command.toList());
        return new Line(List.copyOf(line), ownDescriptor);
    }

    /** The pooled JVM's command, for the launch {@code spec} that starts it, in this environment. */
    static JvmCommand of(LaunchSpec spec, Map<String, String> environment) {
        JvmCommand command = spec.jvm().withMain(PooledWorkerMain.class.getName(), List.of());
        if (!command.hasOption("-XX:TieredStopAtLevel") && !command.hasOption("-XX:-TieredCompilation")
                && !command.hasOption("-XX:+TieredCompilation")) {
            command = command.withDefaultOption("-XX:TieredStopAtLevel=1");
        }
        // A heap the user sized is left to the JVM's own collector too: the serial one needs each big object in one
        // piece of its old generation, and a 25 MB result no longer fit in a heap of 128 MB that G1 served.
        boolean sized = chooses(HEAP_SIZE, command, environment);
        if (!sized && !chooses(COLLECTOR, command, environment)) {
            command = command.withDefaultOption("-XX:+UseSerialGC");
        }
        if (!sized) {
            command = command.withDefaultOption(INITIAL_HEAP);
        }
        return command;
    }

    /** The command with its first {@code -XX:ErrorFile} (the planner's: the user's come after it, and win) naming {@code crashLog}. */
    private static JvmCommand withCrashLog(JvmCommand command, Path crashLog) {
        List<String> options = new ArrayList<>(command.options());
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).startsWith(ERROR_FILE)) {
                options.set(i, ERROR_FILE + crashLog);
                break;
            }
        }
        return new JvmCommand(command.java(), options, command.classpath(), command.mainClass(), command.arguments());
    }

    /** Whether an option of the command, or of the variables the JVM reads, sets what {@code setting} matches. */
    private static boolean chooses(Pattern setting, JvmCommand command, Map<String, String> environment) {
        for (String option : command.options()) {
            if (setting.matcher(option).lookingAt()) {
                return true;
            }
        }
        for (String variable : OPTION_VARIABLES) {
            String options = environment.get(variable);
            if (options != null && setting.matcher(options).find()) {
                return true;
            }
        }
        return false;
    }
}
