package org.taylorism.internal.child;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.taylorism.Attribute;
import org.taylorism.BossContact;
import org.taylorism.FileReference;
import org.taylorism.Worker;
import org.taylorism.WorkerType;
import org.taylorism.internal.Json;
import org.taylorism.internal.WorkerAccess;

/**
 * Entry point of a fresh worker JVM: {@code java -cp CLASSPATH org.taylorism.internal.child.WorkerMain TASK_FILE}.
 *
 * <p>Reads the task file, fills a new instance of the worker class, runs its task and writes the result (or
 * the error, with its stack trace) to the result file. Exit code 0 when the task returned, 1 when it failed,
 * 2 when the task file itself could not be used, {@value #ORPHANED_EXIT_CODE} when the Boss went away.
 * Started by launchers, not by people. With {@code --train DIRECTORY}, it runs a trivial task the way a
 * worker JVM does, for a class-data archive of what every worker JVM loads.
 */
public final class WorkerMain {

    /** Exit code of a worker that noticed its Boss is gone. */
    public static final int ORPHANED_EXIT_CODE = 125;

    /**
     * Set to {@code 0} by launchers whose workers' standard input is not a pipe from the Boss (srun gives its
     * own, which closes at once): end-of-file there says nothing about the Boss.
     */
    public static final String WATCH_STDIN_VARIABLE = "TAYLORISM_WATCH_STDIN";
    /**
     * The pid of the Boss JVM that is this worker JVM's parent, when it is (the JDK's launch): standard input's end
     * means the Boss is gone only once that parent is.
     */
    public static final String BOSS_PID_VARIABLE = "TAYLORISM_BOSS_PID";

    private WorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--train")) {
            // No training outlives its Boss.
            BossWatch watch = stdinIsPipe() ? BossWatch.onStandardInput(BossWatch.WhenGone.HALT, new ResultGate()) : null;
            train(Path.of(args[1]));
            exit(0, watch);
            return;
        }
        if (args.length != 1) {
            System.err.println("usage: java " + WorkerMain.class.getName() + " TASK_FILE");
            System.exit(2);
        }
        Path taskPath = Path.of(args[0]);
        TaskFile task;
        try {
            task = TaskFile.read(taskPath);
        } catch (IOException | RuntimeException e) {
            System.err.println("taylorism: cannot read the task file " + taskPath + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        ResultGate gate = new ResultGate();
        Runtime.getRuntime().addShutdownHook(new Thread(gate, "taylorism-result-wait"));
        BossWatch watch = task.watchStdin() && stdinIsPipe() && !"0".equals(System.getenv(WATCH_STDIN_VARIABLE))
                ? BossWatch.onStandardInput(BossWatch.WhenGone.STOP_WORKER, gate)
                : null;
        exit(runAndWrite(task, gate), watch);
    }

    private static void exit(int exitCode, BossWatch watch) {
        if (watch != null) {
            watch.end();
        }
        System.exit(exitCode);
    }

    /** Runs the task and writes its result file, which {@code gate} then waits for; returns the JVM's exit code. */
    private static int runAndWrite(TaskFile task, ResultGate gate) {
        Path resultFile = Path.of(task.resultFile());
        BossContact contact;
        try {
            contact = BossContact.fromMap(task.boss());
        } catch (IllegalArgumentException e) {
            contact = null;
            System.err.println("taylorism: the task file's contact to the Boss is unusable (" + e.getMessage() + "); no sub-tasks");
        }
        TaskRunner.Outcome outcome = task.fields() != null && !FileReference.anyReference(task.values())
                ? TaskRunner.runBound(task.workerClass(), task.ticket(), task.values(), task.fields(), contact)
                : TaskRunner.run(task.workerClass(), task.ticket(), task.values(), contact);
        gate.taskReturned();
        try {
            return write(outcome, resultFile, task.name());
        } finally {
            gate.resultWritten();
        }
    }

    private static int write(TaskRunner.Outcome outcome, Path resultFile, String name) {
        ObjectNode full = null;
        int exitCode;
        try {
            byte[] plain = ResultFile.plainJson(outcome, ResultFile.PEAK_RSS_KB, ResultFile.selfPeakRssKb());
            if (plain != null) {
                ResultFile.writeWhole(resultFile, plain);
                exitCode = 0;
            } else {
                full = ResultFile.fullJson(outcome, name);
                ResultFile.write(resultFile, full);
                exitCode = ResultFile.OK.equals(full.path(ResultFile.STATUS).asText()) ? 0 : 1;
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("taylorism: cannot write the result file " + resultFile + ": " + e);
            System.err.println(full != null ? full.toPrettyString() : String.valueOf(outcome));
            exitCode = 2;
        }
        System.out.flush();
        System.err.flush();
        return exitCode;
    }

    /**
     * Does what a worker JVM does, on a trivial worker, so that a class-data archive dumped at its exit holds
     * the classes every worker JVM loads: the plain path, then the databind one (results that are objects).
     */
    private static void train(Path directory) throws IOException {
        Path taskFile = directory.resolve("training.task.json");
        Path resultFile = directory.resolve("training.result.json");
        Json.MAPPER.writeValue(taskFile.toFile(), new TaskFile(Training.class.getName(), "training", 0,
                Map.of("training", List.of(1, 2.5, "three", true)), resultFile.toString(), false,
                WorkerAccess.get().fieldBindings(WorkerType.of(Training.class))));
        runAndWrite(TaskFile.read(taskFile), new ResultGate());
        ResultFile.write(resultFile, ResultFile.fullJson(TaskRunner.run(Training.class.getName(), 0, Map.of("training", List.of(1)), null), "training"));
        Json.MAPPER.readTree(resultFile.toFile());
    }

    /** The worker the training JVM runs: it returns what it was given. */
    public static final class Training extends Worker {
        @Attribute
        private List<Object> training;

        @Override
        protected Object task() {
            return Map.of("echo", training);
        }
    }

    /** Whether standard input is a pipe (from a JVM that started this one), not /dev/null or a file. */
    private static boolean stdinIsPipe() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString().startsWith("pipe:");
        } catch (IOException | UnsupportedOperationException e) {
            return true; // not Linux: assume the launcher gave a pipe, as the JDK launcher does
        }
    }
}
