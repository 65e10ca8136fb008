package org.taylorism;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * Set to {@code 0} by launchers whose workers' standard input is not a pipe from the Boss (srun gives its
     * own, which closes at once): end-of-file there says nothing about the Boss.
     */
    public static final String WATCH_STDIN_VARIABLE = "TAYLORISM_WATCH_STDIN";

    private WorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--train")) {
            // No training outlives its Boss.
            BossWatch watch = stdinIsPipe() ? BossWatch.onStandardInput(WhenBossGone.HALT) : null;
            train(Path.of(args[1]));
            exit(0, watch);
            return;
        }
        if (args.length != 1) {
            System.err.println("usage: java org.taylorism.WorkerMain TASK_FILE");
            System.exit(2);
        }
        Path taskPath = Path.of(args[0]);
        TaskFile task;
        try {
            task = readTaskFile(taskPath);
        } catch (IOException | RuntimeException e) {
            System.err.println("taylorism: cannot read the task file " + taskPath + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        BossWatch watch = task.watchStdin() && stdinIsPipe() && !"0".equals(System.getenv(WATCH_STDIN_VARIABLE))
                ? BossWatch.onStandardInput(WhenBossGone.STOP_WORKER)
                : null;
        exit(runAndWrite(task), watch);
    }

    private static void exit(int exitCode, BossWatch watch) {
        if (watch != null) {
            watch.end();
        }
        System.exit(exitCode);
    }

    /**
     * Runs the task and writes its result file; returns the JVM's exit code. A plain result (maps, lists,
     * strings, numbers) is written without the databind mapper, whose construction would cost a short
     * worker JVM more than the rest of its start.
     */
    private static int runAndWrite(TaskFile task) {
        Path resultFile = Path.of(task.resultFile());
        Outcome outcome = task.fields() != null && !FileReference.anyReference(task.values())
                ? executeBound(task.workerClass(), task.ticket(), task.values(), task.fields())
                : execute(task.workerClass(), task.ticket(), task.values());
        ObjectNode full = null;
        int exitCode;
        try {
            byte[] plain = plainJson(outcome, "peakRssKb", ResultFile.selfPeakRssKb());
            if (plain != null) {
                ResultFile.writeWhole(resultFile, plain);
                exitCode = 0;
            } else {
                full = asJson(outcome, task.name());
                ResultFile.write(resultFile, full);
                exitCode = "ok".equals(full.path("status").asText()) ? 0 : 1;
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

    /** The task file, read without the databind mapper; a missing or mistyped field is named. */
    static TaskFile readTaskFile(Path file) throws IOException {
        if (!(PlainJson.read(file) instanceof Map<?, ?> root)) {
            throw new IOException("it is not a JSON object");
        }
        Object values = root.get("values");
        if (!(values instanceof Map<?, ?>)) {
            throw new IOException("its \"values\" is not an object: " + values);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> attributeValues = (Map<String, Object>) values;
        Object fields = root.get("fields");
        if (fields != null && !(fields instanceof Map<?, ?> map && allStrings(map.values()))) {
            throw new IOException("its \"fields\" is not an object of strings: " + fields);
        }
        @SuppressWarnings("unchecked")
        Map<String, String> fieldBindings = (Map<String, String>) fields;
        return new TaskFile(field(root, "workerClass", String.class), field(root, "name", String.class),
                field(root, "ticket", Integer.class), attributeValues, field(root, "resultFile", String.class),
                Boolean.TRUE.equals(root.get("watchStdin")), fieldBindings);
    }

    private static <T> T field(Map<?, ?> root, String key, Class<T> type) throws IOException {
        Object value = root.get(key);
        if (!type.isInstance(value)) {
            throw new IOException("its \"" + key + "\" is not of type " + type.getSimpleName() + ": " + value);
        }
        return type.cast(value);
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
                WorkerType.of(Training.class).fieldBindings()));
        runAndWrite(readTaskFile(taskFile));
        ResultFile.write(resultFile, run(Training.class.getName(), "training", 0, Map.of("training", List.of(1))));
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

    /** What a task ended with: its result, or the error it raised. */
    record Outcome(Object result, ErrorInfo error) {
    }

    /** Runs one task in this JVM. */
    static Outcome execute(String workerClass, int ticket, Map<String, Object> values) {
        try {
            WorkerType type = TYPES.get(workerClass);
            if (type == null) {
                // Not computeIfAbsent(workerClass, WorkerMain::load): no lambda on a fresh worker JVM's start.
                type = load(workerClass);
                TYPES.putIfAbsent(workerClass, type);
            }
            Worker worker = type.instantiate(values);
            worker.assignTicket(ticket);
            return new Outcome(worker.task(), null);
        } catch (Throwable error) {
            return new Outcome(null, ErrorInfo.of(error));
        }
    }

    /** Runs one task in this JVM, its worker filled through the task file's field bindings. */
    static Outcome executeBound(String workerClass, int ticket, Map<String, Object> values, Map<String, String> fields) {
        try {
            Worker worker = WorkerType.instantiateBound(workerClass, values, fields);
            worker.assignTicket(ticket);
            return new Outcome(worker.task(), null);
        } catch (Throwable error) {
            return new Outcome(null, ErrorInfo.of(error));
        }
    }

    /**
     * Runs one task in this JVM and returns its outcome as the result channel carries it:
     * {@code {"status": "ok", "result": ...}} or {@code {"status": "error", "error": {...}}}.
     */
    static ObjectNode run(String workerClass, String name, int ticket, Map<String, Object> values) {
        return asJson(execute(workerClass, ticket, values), name);
    }

    /**
     * The outcome as the result channel carries it, with one more field (the pool's task id): a plain result
     * through the streaming generator, an error or a result that needs databind (a record, a bean) through
     * the mapper.
     */
    static byte[] outcomeJson(Outcome outcome, String name, String extraKey, Object extraValue) throws IOException {
        byte[] plain = plainJson(outcome, extraKey, extraValue);
        if (plain != null) {
            return plain;
        }
        ObjectNode full = asJson(outcome, name);
        full.putPOJO(extraKey, extraValue);
        return Json.MAPPER.writeValueAsBytes(full);
    }

    /**
     * A returned result as plain JSON, with one more field; null when it needs the mapper: an error, a record,
     * or a result the streaming writer fails on (nested too deep, containing itself, changed by a thread the
     * task left running), whose trouble the mapper then names.
     */
    private static byte[] plainJson(Outcome outcome, String extraKey, Object extraValue) {
        if (outcome.error() != null) {
            return null;
        }
        try {
            if (!PlainJson.isPlain(outcome.result())) {
                return null;
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("status", "ok");
            root.put("result", outcome.result());
            root.put(extraKey, extraValue);
            return PlainJson.write(root);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    private static ObjectNode asJson(Outcome outcome, String name) {
        if (outcome.error() != null) {
            return ResultFile.error(outcome.error());
        }
        Object result = outcome.result();
        JsonNode json;
        try {
            json = Json.MAPPER.valueToTree(result);
        } catch (Throwable error) {
            return ResultFile.error(new ErrorInfo(ResultNotSerializableException.class.getName(),
                    "the result of worker '" + name + "' (a " + result.getClass().getName()
                            + ") cannot be written as JSON: " + jacksonReason(error), ErrorInfo.of(error).stackTrace()));
        }
        return ResultFile.ok(json);
    }

    /** Footprints read once per class: a pooled JVM runs many tasks of few classes. */
    private static final Map<String, WorkerType> TYPES = new java.util.concurrent.ConcurrentHashMap<>();

    private static WorkerType load(String workerClass) {
        try {
            Class<?> loaded = Class.forName(workerClass);
            if (!Worker.class.isAssignableFrom(loaded)) {
                throw new IllegalArgumentException(workerClass + " is not a subclass of " + Worker.class.getName());
            }
            return WorkerType.of(loaded.asSubclass(Worker.class));
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no worker class " + workerClass + " on this JVM's class path", e);
        }
    }

    /** Jackson's reason without its advice to change the mapper, which is ours, not the worker's. */
    private static String jacksonReason(Throwable error) {
        if (error instanceof StackOverflowError) {
            return "it is nested too deep, or contains itself";
        }
        if (error.getMessage() == null) {
            return error.getClass().getName();
        }
        String message = error.getMessage();
        int advice = message.indexOf(" (to avoid exception");
        return advice < 0 ? message : message.substring(0, advice);
    }

    /** Whether standard input is a pipe (from a JVM that started this one), not /dev/null or a file. */
    private static boolean stdinIsPipe() {
        try {
            return java.nio.file.Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString().startsWith("pipe:");
        } catch (IOException | UnsupportedOperationException e) {
            return true; // not Linux: assume the launcher gave a pipe, as the JDK launcher does
        }
    }

    /** A loop, not a stream: see {@link BossWatch} on what a lambda costs a fresh worker JVM. */
    private static boolean allStrings(Iterable<?> values) {
        for (Object value : values) {
            if (!(value instanceof String)) {
                return false;
            }
        }
        return true;
    }

    /** What a worker JVM does when its Boss is gone. */
    enum WhenBossGone implements Runnable {
        /** A training JVM: it leaves no archive behind. */
        HALT {
            @Override
            public void run() {
                Runtime.getRuntime().halt(ORPHANED_EXIT_CODE);
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
                Runtime.getRuntime().halt(ORPHANED_EXIT_CODE);
            }
        }
    }

    /**
     * Standard input is a pipe from the Boss that it never writes to: end-of-file means the Boss JVM is gone,
     * and this worker, with whatever it started, must go too. The task gets an empty standard input instead.
     * <p>
     * A named class rather than lambdas: the first lambda a JVM meets bootstraps java.lang.invoke and spins
     * classes, a few milliseconds of every fresh worker JVM's start that no class-data archive saves. It reads
     * through a {@link FileChannel} because closing one wakes a thread blocked reading it, which a stream's
     * close does not: HotSpot's exit waits up to 300 ms for any thread still blocked in a system call.
     */
    static final class BossWatch extends Thread {
        private final FileChannel fromBoss;
        private final Runnable whenGone;
        private volatile boolean ended;

        BossWatch(FileChannel fromBoss, Runnable whenGone) {
            super("taylorism-boss-watch");
            this.fromBoss = fromBoss;
            this.whenGone = whenGone;
            setDaemon(true);
        }

        /** Watches this JVM's standard input, which the task then no longer sees. */
        static BossWatch onStandardInput(WhenBossGone whenGone) {
            BossWatch watch = new BossWatch(new FileInputStream(FileDescriptor.in).getChannel(), whenGone);
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
                whenGone.run();
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
}
