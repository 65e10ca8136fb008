package org.taylorism.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.BossContact;
import org.taylorism.Task;
import org.taylorism.internal.Json;
import org.taylorism.internal.Names;
import org.taylorism.internal.OwnerOnly;
import org.taylorism.internal.ValueConverter;
import org.taylorism.internal.WorkerAccess;
import org.taylorism.internal.child.TaskFile;
import org.taylorism.internal.child.WorkerMain;
import org.taylorism.internal.launch.Outcomes;
import org.taylorism.spi.JvmCommand;
import org.taylorism.spi.LaunchSpec;

/**
 * Everything a launch needs, worked out before the launcher is called: the run directory (made at the first
 * launch), each attempt's files ({@code ID-NAME[.ATTEMPT].stdout}, {@code .stderr}, and for a Java worker in a JVM
 * of its own {@code .task.json}, {@code .result.json}, {@code .hs_err.log}), the task file, and the worker JVM's
 * command with the class-data archive's options. A launcher that reads no task files (the warm pool) gets no task or
 * result file, and one JVM command for many tasks. The result is an immutable {@link LaunchSpec}.
 */
final class LaunchPlanner {

    private static final Logger log = LoggerFactory.getLogger(LaunchPlanner.class);
    private static final String ERROR_FILE = "-XX:ErrorFile=";

    /** Where the run's files go, or null for a new temporary directory; made at the first launch. */
    private final Path requestedRunDirectory;
    private final String java;
    private final List<String> javaOptions;
    private final String classpath;
    /** Null when class-data sharing is off. */
    private final ClassDataArchive classDataArchive;
    private final Duration defaultTimeout;
    private final boolean writeTaskFiles;
    private Path runDirectory;
    /** The last command {@link #sharedJvm} made, and what it was made for. */
    private JvmCommand sharedJvm;
    private int sharedJvmCpuCount;
    private List<String> sharedJvmArchiveOptions;

    /**
     * @param recordedRunDirectory the directory of a run recorded in a store (its own, named by its id), or null:
     *     the settings' run directory, or a temporary one
     * @param classDataArchive the worker JVMs' class-data archive, or null for none
     * @param writeTaskFiles whether the launcher reads task files (a pool passes the values inline instead)
     */
    LaunchPlanner(EngineSettings settings, Path recordedRunDirectory, ClassDataArchive classDataArchive, boolean writeTaskFiles) {
        this.requestedRunDirectory = recordedRunDirectory != null ? recordedRunDirectory : settings.runDirectory();
        this.java = settings.javaExecutable();
        this.javaOptions = settings.javaOptions();
        this.classpath = settings.classpath();
        this.classDataArchive = classDataArchive;
        this.defaultTimeout = settings.defaultTimeout();
        this.writeTaskFiles = writeTaskFiles;
    }

    /** The run directory, or null while nothing was launched. */
    Path runDirectory() {
        return runDirectory;
    }

    /**
     * The launch of {@code task} with this ticket, bound to {@code cpus} (empty for none); a Java worker is given
     * {@code contact} (null for none) to reach its Boss.
     *
     * @throws IOException when the run directory or the task file cannot be written
     * @throws IllegalArgumentException when the task cannot be launched as given (an empty command)
     */
    LaunchSpec plan(Task task, int ticket, List<Integer> cpus, BossContact contact) throws IOException {
        Duration timeout = task.timeoutSeconds() != null ? Duration.ofMillis(Math.round(task.timeoutSeconds() * 1000)) : defaultTimeout;
        Path directory = createdRunDirectory();
        String base = fileBase(task.id(), task.name(), task.attempt());
        Path stdout = directory.resolve(base + ".stdout");
        Path stderr = directory.resolve(base + ".stderr");
        String workerClass = task.type().javaClass().getName();
        if (task.type().isCommand()) {
            @SuppressWarnings("unchecked")
            List<String> given = (List<String>) task.value("command");
            if (given.isEmpty()) {
                throw new IllegalArgumentException("its command is an empty list");
            }
            // [%]: its slot, from 1 (parallel's {%}), known only now.
            String slot = Integer.toString(ticket + 1);
            List<String> command = given.stream().map(argument -> argument.replace("[%]", slot)).toList();
            @SuppressWarnings("unchecked")
            Map<String, String> env = task.value("env") == null ? Map.of() : (Map<String, String>) task.value("env");
            return new LaunchSpec(task.id(), task.name(), LaunchSpec.Kind.COMMAND, command, null, env, (Path) task.value("cwd"),
                    stdout, stderr, null, null, workerClass, ticket, task.memoryMb(), cpus, null, task.instructions(), timeout, null,
                    (Integer) task.value("stdout_in_result"));
        }
        Map<String, Object> values = jsonValues(task.values());
        if (!writeTaskFiles) {
            return new LaunchSpec(task.id(), task.name(), LaunchSpec.Kind.JAVA, List.of(), sharedJvm(directory, cpus), Map.of(),
                    null, stdout, stderr, null, null, workerClass, ticket, task.memoryMb(), cpus, values, task.instructions(),
                    timeout, contact, 0);
        }
        Path taskFile = directory.resolve(base + ".task.json");
        Path resultFile = directory.resolve(base + ".result.json");
        OwnerOnly.write(taskFile, Json.MAPPER.writeValueAsBytes(new TaskFile(workerClass, task.name(), ticket, values,
                resultFile.toString(), true, WorkerAccess.get().fieldBindings(task.type()), contact == null ? null : contact.toMap())));
        // A crashing JVM writes its log beside the worker's output, where the report can point to it.
        JvmCommand jvm = jvm(ERROR_FILE + Outcomes.crashLogOf(stdout), cpus, archiveOptions(), List.of(taskFile.toString()));
        return new LaunchSpec(task.id(), task.name(), LaunchSpec.Kind.JAVA, List.of(), jvm, Map.of(), null, stdout, stderr,
                taskFile, resultFile, workerClass, ticket, task.memoryMb(), cpus, values, task.instructions(), timeout, contact, 0);
    }

    /**
     * The values in their JSON form: the task's own (unmodifiable) map when each value already is one (most are:
     * numbers, strings, lists of them), which spares a copy per task at thousands of tasks a second.
     */
    private static Map<String, Object> jsonValues(Map<String, Object> values) {
        if (allJson(values)) {
            return values;
        }
        Map<String, Object> converted = new LinkedHashMap<>();
        values.forEach((key, value) -> converted.put(key, ValueConverter.toJsonValue(value)));
        return converted;
    }

    private static boolean allJson(Map<String, Object> values) {
        for (Object value : values.values()) {
            if (!ValueConverter.isJsonValue(value)) {
                return false;
            }
        }
        return true;
    }

    /**
     * What the files of one attempt are named, before their extension ({@code .stdout}, {@code .stderr},
     * {@code .result.json}): its task's id and name, and its number after the first.
     */
    static String fileBase(long taskId, String name, int attempt) {
        return taskId + "-" + Names.fileSafe(name) + (attempt > 1 ? "." + attempt : "");
    }

    /**
     * The worker JVM's command for a launcher that reads no task file (a pool): naming none, and the same for every
     * task bound to as many CPUs while the class-data archive's options stay, so that it is made once, not at each of
     * thousands of tasks a second. Such a launcher starts its JVMs its own way (a pool: its own main class, and a crash
     * log per JVM, moved beside the output of the task that crashed it); the command's own crash-log option names one
     * per process in the run directory, for a launcher that keeps it.
     */
    private JvmCommand sharedJvm(Path directory, List<Integer> cpus) {
        List<String> archiveOptions = archiveOptions();
        if (sharedJvm == null || sharedJvmCpuCount != cpus.size() || !sharedJvmArchiveOptions.equals(archiveOptions)) {
            sharedJvm = jvm(ERROR_FILE + directory.resolve("hs_err_pid%p.log"), cpus, archiveOptions, List.of());
            sharedJvmCpuCount = cpus.size();
            sharedJvmArchiveOptions = archiveOptions;
        }
        return sharedJvm;
    }

    private List<String> archiveOptions() {
        return classDataArchive == null ? List.of() : classDataArchive.options();
    }

    /** The worker JVM's command: the taylorism options first, the user's after them (a later option wins). */
    private JvmCommand jvm(String errorFileOption, List<Integer> cpus, List<String> archiveOptions, List<String> arguments) {
        List<String> options = new ArrayList<>(javaOptions.size() + 4);
        options.add(errorFileOption);
        if (!cpus.isEmpty()) {
            // A pinned JVM would otherwise size its GC and pools for every CPU of the machine.
            options.add("-XX:ActiveProcessorCount=" + cpus.size());
        }
        options.addAll(archiveOptions);
        options.addAll(javaOptions);
        return new JvmCommand(java, options, classpath, WorkerMain.class.getName(), arguments);
    }

    private Path createdRunDirectory() throws IOException {
        if (runDirectory == null) {
            if (requestedRunDirectory != null) {
                runDirectory = OwnerOnly.createDirectories(requestedRunDirectory).toAbsolutePath();
            } else {
                runDirectory = Files.createTempDirectory("taylorism-run-");
            }
            log.debug("Worker output goes to {}", runDirectory);
        }
        return runDirectory;
    }
}
