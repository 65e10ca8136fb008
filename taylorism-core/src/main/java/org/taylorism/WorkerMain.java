package org.taylorism;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.taylorism.spi.ResultFile;

/**
 * Entry point of a worker JVM: {@code java -cp CLASSPATH org.taylorism.WorkerMain TASK_FILE}.
 *
 * <p>Reads the task file, fills a new instance of the worker class, runs {@link Worker#task()} and writes the
 * result (or the error, with its stack trace) to the result file. Exit code 0 when the task returned, 1 when
 * it failed, 2 when the task file itself could not be used. Started by launchers, not by people.
 */
public final class WorkerMain {

    /** Exit code of a worker that noticed its Boss is gone. */
    static final int ORPHANED_EXIT_CODE = 125;

    private WorkerMain() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java org.taylorism.WorkerMain TASK_FILE");
            System.exit(2);
        }
        Path taskPath = Path.of(args[0]);
        TaskFile task;
        try {
            task = Json.MAPPER.readValue(taskPath.toFile(), TaskFile.class);
        } catch (IOException e) {
            System.err.println("taylorism: cannot read the task file " + taskPath + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        if (task.watchStdin()) {
            watchBoss();
        }
        Path resultFile = Path.of(task.resultFile());
        int exitCode = run(task, resultFile);
        System.out.flush();
        System.err.flush();
        System.exit(exitCode);
    }

    private static int run(TaskFile task, Path resultFile) {
        Object result;
        try {
            Class<?> loaded = Class.forName(task.workerClass());
            if (!Worker.class.isAssignableFrom(loaded)) {
                throw new IllegalArgumentException(task.workerClass() + " is not a subclass of " + Worker.class.getName());
            }
            Worker worker = WorkerType.of(loaded.asSubclass(Worker.class)).instantiate(task.values());
            worker.assignTicket(task.ticket());
            result = worker.task();
        } catch (Throwable error) {
            return writeError(resultFile, ErrorInfo.of(error));
        }
        JsonNode json;
        try {
            json = Json.MAPPER.valueToTree(result);
        } catch (Throwable error) {
            return writeError(resultFile, new ErrorInfo(ResultNotSerializableException.class.getName(),
                    "the result of worker '" + task.name() + "' (a " + result.getClass().getName()
                            + ") cannot be written as JSON: " + jacksonReason(error), ErrorInfo.of(error).stackTrace()));
        }
        try {
            ResultFile.writeResult(resultFile, json);
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("taylorism: cannot write the result file " + resultFile + ": " + e);
            return 2;
        }
    }

    /** Jackson's reason without its advice to change the mapper, which is ours, not the worker's. */
    private static String jacksonReason(Throwable error) {
        String message = String.valueOf(error.getMessage());
        int advice = message.indexOf(" (to avoid exception");
        return advice < 0 ? message : message.substring(0, advice);
    }

    private static int writeError(Path resultFile, ErrorInfo error) {
        try {
            ResultFile.writeError(resultFile, error);
            return 1;
        } catch (IOException | RuntimeException e) {
            System.err.println("taylorism: cannot write the result file " + resultFile + ": " + e);
            System.err.println(error.stackTrace() == null ? error.oneLine() : error.stackTrace());
            return 2;
        }
    }

    /**
     * Standard input is a pipe from the Boss that it never writes to: end-of-file means the Boss JVM is gone,
     * and this worker, with whatever it started, must go too. The task gets an empty standard input instead.
     */
    private static void watchBoss() {
        InputStream fromBoss = new FileInputStream(FileDescriptor.in);
        System.setIn(new ByteArrayInputStream(new byte[0]));
        Thread watcher = new Thread(() -> {
            try {
                while (fromBoss.read() >= 0) {
                    // the Boss writes nothing; anything read is ignored
                }
            } catch (IOException ignored) {
                // a broken pipe means the same as end-of-file
            }
            System.err.println("taylorism: the Boss is gone; this worker stops.");
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            Runtime.getRuntime().halt(ORPHANED_EXIT_CODE);
        }, "taylorism-boss-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
