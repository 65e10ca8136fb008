package org.taylorism.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.taylorism.Boss;
import org.taylorism.FailurePolicy;
import org.taylorism.HaltPolicy;
import org.taylorism.Report;
import org.taylorism.ResumePolicy;
import org.taylorism.RetryPolicy;
import org.taylorism.RunFailedException;
import org.taylorism.RunStoreException;
import org.taylorism.Signal;
import org.taylorism.Task;
import org.taylorism.TaylorismException;
import org.taylorism.WorkerStatus;
import org.taylorism.spi.LauncherProvider;
import org.taylorism.spi.RunStore;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.store.JdbcRunStore;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * What {@code taylorism run} and {@code taylorism retry-failed} share: every option of a run, the Boss it makes,
 * the run itself with Ctrl-C handling, the report and the summary. Where the instruction sets come from, and what
 * earlier run the run resumes, is each command's own.
 */
abstract class BatchRun implements Callable<Integer> {

    /** The exit codes of a run, for each command's help. */
    static final String EXIT_OK = "0:every worker succeeded";
    static final String EXIT_INTERNAL = "1:internal error";
    static final String EXIT_USAGE = "2:bad input or usage";
    static final String EXIT_FAILED = "3:some workers failed, crashed or were killed, or sets never ran";
    static final String EXIT_UNAVAILABLE = "4:the launcher's cluster cannot be used (Slurm's commands missing, its controller not answering)";
    static final String EXIT_STORE = "5:the run store cannot be used: not opened before the run, or not written during it (the report is"
            + " still written)";
    static final String EXIT_HUNG_UP = "129:its terminal hung up (SIGHUP): running workers killed, the report written (also as"
            + " report.json in the run's directory)";
    static final String EXIT_INTERRUPTED = "130:interrupted (Ctrl-C or SIGTERM)";


    @Spec
    CommandSpec spec;

    @Mixin
    SchedulingOptions scheduling;

    @Mixin
    WorkerOptions workers;

    /*
     * The command line runs everything by default, as parallel, xargs and Slurm arrays do, and says at the end (exit 3)
     * if anything did not succeed; the library keeps the original's fail-fast default.
     */
    @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "keep-going", converter = PolicyConverter.class,
            description = "keep-going: run everything, exit 3 if anything did not succeed; fail-fast: stop everything at the first"
                    + " failure (default: ${DEFAULT-VALUE}).")
    private FailurePolicy policy;

    @Option(names = "--halt", paramLabel = "POLICY",
            description = "When failures stop the run: never, now,fail=N (kill running workers), soon,fail=N (let them finish),"
                    + " soon,fail=N%%. Overrides --policy.")
    private String halt;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Default timeout of a worker (its 'timeout' attribute wins): stopped and reported timed_out after it.")
    private Double timeout;

    @Option(names = "--stall-timeout", paramLabel = "SECONDS",
            description = "Stop a worker that writes nothing to stdout or stderr for this long (its 'stall_timeout' attribute wins).")
    private Double stallTimeout;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "0",
            description = "Try a failed worker up to N more times (default: ${DEFAULT-VALUE}). Memory-stopped workers get more"
                    + " memory, timed-out ones a longer timeout.")
    private int retries;

    @Option(names = "--retry-on", paramLabel = "WHAT", split = ",",
            description = "What is retried: statuses (failed, crashed, timed_out, memory_exceeded), exit=CODE, or exception"
                    + " type names. Default: every failure status.")
    private List<String> retryOn = new java.util.ArrayList<>();

    @Option(names = "--retry-backoff", paramLabel = "SECONDS", defaultValue = "1",
            description = "Wait before the first retry, doubled before each next one (default: ${DEFAULT-VALUE}).")
    private double retryBackoff;

    @Option(names = "--memory-tolerance", paramLabel = "FACTOR",
            description = "Stop a worker whose process tree uses more than its declared 'memory' times FACTOR (memory_exceeded)."
                    + " Off by default.")
    private Double memoryTolerance;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "5",
            description = "Time between SIGTERM and SIGKILL when a worker is stopped (default: ${DEFAULT-VALUE}).")
    private double grace;

    @Mixin
    ReportOptions reports;

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Where the run's own directory (named by its id) goes, with each worker's stdout, stderr and result"
                    + " files (default: runs/ beside the run store). With --no-store, a new run-TIME-RANDOM directory below DIR"
                    + " (default: a new directory in the system temp dir).")
    private Path workdir;

    @Option(names = "--launcher", paramLabel = "NAME", defaultValue = "local",
            description = "local: every worker in a fresh process (default); pool: Java workers in long-lived JVMs (fast for many"
                    + " short Java tasks; not for tasks that leak memory, change global state or need their own JVM options);"
                    + " slurm: workers as Slurm job steps inside an allocation, or batch jobs from a login node.")
    private String launcherName;

    @Option(names = "--java-option", paramLabel = "OPTION",
            description = "A JVM option of the worker JVMs, e.g. --java-option=-Xmx2g; repeatable.")
    private List<String> javaOptions = new ArrayList<>();

    @Option(names = "--launcher-option", paramLabel = "KEY=VALUE",
            description = "An option of the launcher, e.g. partition=short for slurm; repeatable. See 'taylorism launchers'.")
    private Map<String, String> launcherOptions = new LinkedHashMap<>();

    @Option(names = "--pool-max-tasks", paramLabel = "N", defaultValue = "1000",
            description = "With --launcher pool: tasks a pooled JVM runs before it is replaced (default: ${DEFAULT-VALUE}).")
    private int poolMaxTasks;

    @Option(names = "--no-progress", description = "No progress display (the summary is still printed).")
    private boolean noProgress;

    @Mixin
    private LoggingOptions logging;

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--no-store", description = "Do not record the run in a run store (it cannot be looked at or resumed later).")
    boolean noStore;

    /** Hidden: tests set it low, to see a run go past it without running ten thousand sets. */
    @Option(names = "--reports-held", hidden = true, paramLabel = "N")
    int reportsHeld = REPORTS_HELD_WITH_A_STORE;

    /** The instruction sets to run, read before anything starts; {@code store} is null with --no-store. */
    abstract List<Map<String, Object>> sets(JdbcRunStore store);

    /**
     * How many ended sets' reports a run with a store holds in memory (the latest): beyond them, its memory does not
     * grow with the sets that ended, and its report is streamed from the store.
     */
    static final int REPORTS_HELD_WITH_A_STORE = 10_000;

    /** Where the sets come from, as the run store records it. */
    abstract String source();

    /** Tells {@code builder} which earlier run of {@code store} this run resumes, if it resumes one. */
    abstract void resume(Boss.Builder builder, JdbcRunStore store);

    /** The resume policy {@code --resume-policy} gives ({@code text}), or the standard one when it gives none. */
    static ResumePolicy resumePolicyOf(String text) {
        try {
            return text == null ? ResumePolicy.standard() : ResumePolicy.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--resume-policy: " + e.getMessage(), e);
        }
    }

    /** Whether the Boss is served to other processes: the scheduler is then always the one the options name. */
    boolean served() {
        return false;
    }

    /** Builds a served Boss with what its server needs: its listener, its workers' channel, bounds on what it holds. */
    void serveWith(Boss.Builder builder) {
    }

    /**
     * Serves {@code boss}, told to work, to other processes; what it returns is closed once the run is over.
     *
     * @param store the run store the Boss records its run in, or null
     */
    AutoCloseable serve(Boss boss, RunStore store) throws IOException {
        return () -> { };
    }

    /** What of the programs' output is printed, and how; null for nothing (a server's batches). */
    OutputOptions outputOptions() {
        return null;
    }

    /** Whether sets may be commands (the built-in command worker). */
    boolean runsCommands() {
        return true;
    }

    /** Whether the progress line is shown (on a terminal, unless --no-progress or --quiet). */
    boolean showsProgress() {
        return true;
    }

    /** Waits for the end of the run, and its report: by default, runs what was given, then ends. */
    Report awaitReport(Boss boss) {
        try {
            return boss.waitTillFinished();
        } catch (RunFailedException e) {
            return e.report();
        }
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        reports.check();
        OutputOptions outputs = outputOptions();
        OutputOptions.Mode outputMode = outputs == null ? OutputOptions.Mode.NONE : outputs.mode(reports);
        checkWorkdir();
        Boss.Builder builder = bossBuilder();
        boolean terminal = Terminal.stderrIsTerminal();
        ProgressView.Mode mode = logging.quiet || noProgress ? ProgressView.Mode.NONE
                : terminal ? ProgressView.Mode.REDRAWN : ProgressView.Mode.LINES;
        long start = System.nanoTime();
        JdbcRunStore store = noStore ? null : openStore(builder);
        List<Map<String, Object>> sets = setsAndServer(store, builder);
        StreamedBatch rest = streamedRest();
        Feeder feeder = rest == null ? null : new Feeder(rest, sets.size());
        Ended ended;
        try (store) {
            ProgressView progress = new ProgressView(err, showsProgress() ? mode : ProgressView.Mode.NONE, Terminal.colours(terminal),
                    rest == null ? sets.size() : rest.total(), logging.verbosity > 0);
            ended = runToTheEnd(builder, sets, feeder, store, progress, outputs, outputMode);
            reports.write(ended.report(), store, spec.commandLine().getOut(), err);
        }
        Report report = ended.report();
        if (!logging.quiet) {
            Summary.print(report, err, Duration.ofNanos(System.nanoTime() - start), ended.stoppedBy(),
                    showsProgress() && mode != ProgressView.Mode.NONE, reports.toStdout() ? null : reports.places(report),
                    logging.verbosity > 0);
        }
        if (feeder != null && feeder.neverRead() > 0) {
            err.println("  never read: " + feeder.neverRead() + " sets of " + feeder.source() + " after line " + feeder.lastLine()
                    + " (the run stopped first; they are not in the report)");
        }
        if (feeder != null && feeder.refused() != null) {
            err.println("taylorism: " + feeder.refused().getMessage() + " (the run stopped; what ran is in the report)");
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
        err.flush();
        return exitCode(report, ended.interruptedExit());
    }

    /** How a run ended: its report, and the interruption that stopped it, if any. */
    private record Ended(Report report, int interruptedExit, String stoppedBy) {
    }

    /** Runs the sets (and what {@code feeder} hands over as it goes) to the end; the report is kept in the run directory. */
    private Ended runToTheEnd(Boss.Builder builder, List<Map<String, Object>> sets, Feeder feeder, JdbcRunStore store,
                              ProgressView progress, OutputOptions outputs, OutputOptions.Mode outputMode) {
        PrintWriter err = spec.commandLine().getErr();
        if (feeder != null) {
            builder.listener(feeder);
        }
        try (progress;
             // Closed once the Boss is: what the workers wrote is all printed before the summary.
             ProgramOutput output = new ProgramOutput(outputMode, outputs != null && outputs.tag, outputs != null && outputs.keepOrder,
                     spec.commandLine().getOut(), err, progress);
             // The launcher is made last, once every option and the store are known good: it may start processes.
             Boss boss = startedBoss(builder.launcher(launcher()).listener(output).listener(progress), sets, output);
             AutoCloseable server = serve(boss, store);
             Interrupts interrupts = Interrupts.install(
                     () -> {
                         err.println("\ntaylorism: stopping: nothing more is launched, running workers finish (Ctrl-C again to kill them)");
                         err.flush();
                         boss.send(Signal.STOP);
                     },
                     () -> {
                         err.println("\ntaylorism: killing the running workers");
                         err.flush();
                         boss.send(Signal.STOP_RIGHTNOW);
                     })) {
            if (feeder != null) {
                feeder.start(boss);
                feeder.awaitFed(); // the END that awaitReport sends comes once every set is handed over, or the run stopped
            }
            Report report = awaitReport(boss);
            reports.keepInRunDirectory(report, store, err);
            return new Ended(report, interrupts.happened() ? interrupts.exitCode() : 0, interrupts.happened() ? interrupts.description() : null);
        } catch (Exception e) {
            throw e instanceof RuntimeException runtime ? runtime : new TaylorismException("could not serve the run: " + e.getMessage(), e);
        }
    }

    /** The rest of a batch read as a stream, once {@link #sets} gave its first part; null when the sets are all given. */
    StreamedBatch streamedRest() {
        return null;
    }

    /** The run's exit code: an interruption's, else the store's trouble, else whether every set succeeded. */
    private static int exitCode(Report report, int interruptedExit) {
        if (interruptedExit != 0) {
            return interruptedExit;
        }
        if (report.error() != null && report.error().is(RunStoreException.class)) {
            return TaylorismCommand.STORE_UNAVAILABLE;
        }
        return report.isSuccess() ? CommandLine.ExitCode.OK : TaylorismCommand.SOME_WORKERS_FAILED;
    }

    /** The sets to run, and the builder made ready to serve; the store is closed when either fails. */
    private List<Map<String, Object>> setsAndServer(JdbcRunStore store, Boss.Builder builder) {
        try {
            List<Map<String, Object>> sets = sets(store);
            serveWith(builder);
            return sets;
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            throw e;
        }
    }

    /**
     * A new directory below {@code workdir} for a run that the store does not name: a second run with the same
     * --workdir must not overwrite the first one's files. Made when the first worker starts.
     */
    private static Path unrecordedRunDirectory(Path workdir) {
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        return workdir.resolve("run-" + time + "-" + HexFormat.of().toHexDigits(new SecureRandom().nextInt()));
    }

    /** The run store, given to the Boss with where the run comes from and its options; refused before anything starts. */
    private JdbcRunStore openStore(Boss.Builder builder) {
        JdbcRunStore store = storeOptions.open();
        Map<String, String> options = new LinkedHashMap<>();
        // As typed: a flag's value is "true"; a repeated option's values are joined by spaces.
        spec.commandLine().getParseResult().matchedOptions().forEach(option -> options.put(option.longestName(),
                option.originalStringValues().isEmpty() ? "true" : String.join(" ", option.originalStringValues())));
        try {
            resume(builder, store);
            // The store has every ended set's report: the Boss holds the latest only, and the report is written from the store.
            builder.store(store).recordedAs(source(), options).retainEnded(reportsHeld, null);
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** A Boss as the options say, but for its launcher: every option is checked first, naming the bad one. */
    private Boss.Builder bossBuilder() {
        for (String option : javaOptions) {
            if (!option.startsWith("-")) {
                throw new BadInputException("--java-option '" + option + "' is not a JVM option (they start with '-', as in --java-option=-Xmx2g)");
            }
        }
        Boss.Builder builder = Boss.builder()
                .haltPolicy(haltPolicy())
                .retryPolicy(retryPolicy())
                .stopGracePeriod(seconds(grace, "--grace", true))
                .verbose(logging.verbosity > 0)
                .registry(workers.registry(runsCommands()))
                .classpath(workers.workerClasspath())
                .javaOptions(javaOptions);
        if (workdir != null) {
            builder.runDirectory(noStore ? unrecordedRunDirectory(workdir) : workdir);
        }
        if (scheduling.chosen() || launcherName.equals("local") || launcherName.equals("pool") || served()) {
            builder.scheduler(scheduling.scheduler(workers.loader()));
        }
        if (timeout != null) {
            builder.defaultTimeout(seconds(timeout, "--timeout", false));
        }
        if (stallTimeout != null) {
            builder.stallTimeout(seconds(stallTimeout, "--stall-timeout", false));
        }
        if (memoryTolerance != null) {
            if (!(memoryTolerance > 0) || memoryTolerance.isInfinite()) { // NaN too
                throw new BadInputException("--memory-tolerance must be a number above 0, not " + memoryTolerance);
            }
            builder.memoryTolerance(memoryTolerance);
        }
        return builder;
    }

    private WorkerLauncher launcher() {
        if ((launcherName.equals("local") || launcherName.equals("pool")) && !launcherOptions.isEmpty()) {
            throw new BadInputException("--launcher " + launcherName + " has no options; --launcher-option " + launcherOptions.keySet()
                    + " is for launchers such as slurm");
        }
        switch (launcherName) {
            case "local" -> {
                return WorkerLauncher.localProcesses();
            }
            case "pool" -> {
                if (poolMaxTasks < 1) {
                    throw new BadInputException("--pool-max-tasks must be 1 or more, not " + poolMaxTasks);
                }
                int slots = scheduling.maxThreads == null || scheduling.maxThreads == 0
                        ? Runtime.getRuntime().availableProcessors() : scheduling.maxThreads;
                return WorkerLauncher.warmPool(slots, poolMaxTasks);
            }
            default -> {
                return providedLauncher();
            }
        }
    }

    private WorkerLauncher providedLauncher() {
        List<LauncherProvider> providers = LauncherProvider.available(workers.loader());
        LauncherProvider provider = providers.stream().filter(candidate -> candidate.name().equals(launcherName)).findFirst()
                .orElseThrow(() -> new BadInputException("--launcher '" + launcherName + "' is not one of local, pool, "
                        + String.join(", ", providers.stream().map(LauncherProvider::name).sorted().toList())));
        int slots = scheduling.maxThreads == null ? 0 : scheduling.maxThreads;
        try {
            return provider.create(launcherOptions, slots);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new UnavailableException("launcher " + launcherName + ": " + e.getMessage(), e);
        }
    }

    /** The Boss, fed and told to work; Ctrl-C handling starts only once it is, so there is always a run to stop. */
    private static Boss startedBoss(Boss.Builder builder, List<Map<String, Object>> sets, ProgramOutput output) {
        Boss boss = builder.build();
        try {
            output.expect(boss.addInstructions(sets).stream().map(Task::name).toList());
            boss.makeThemWork();
            return boss;
        } catch (RuntimeException e) {
            boss.close();
            throw e;
        }
    }

    /** A --workdir that cannot be a directory is found out before the run, not at every launch. */
    private void checkWorkdir() {
        if (workdir == null) {
            return;
        }
        Path existing = workdir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new BadInputException("--workdir " + workdir + ": " + existing + " is a file, not a directory");
        }
        if (existing != null && !Files.isWritable(existing)) {
            throw new BadInputException("--workdir " + workdir + ": " + existing + " cannot be written");
        }
    }

    HaltPolicy haltPolicy() {
        if (halt == null) {
            return HaltPolicy.of(policy);
        }
        try {
            return HaltPolicy.parse(halt);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--halt: " + e.getMessage(), e);
        }
    }

    RetryPolicy retryPolicy() {
        if (retries < 0) {
            throw new BadInputException("--retries must be 0 or more, not " + retries);
        }
        if (retries == 0) {
            if (!retryOn.isEmpty()) {
                throw new BadInputException("--retry-on needs --retries");
            }
            return RetryPolicy.NONE;
        }
        RetryPolicy policy = RetryPolicy.attempts(retries + 1).withBackoff(seconds(retryBackoff, "--retry-backoff", true), 2);
        if (retryOn.isEmpty()) {
            return policy;
        }
        Set<WorkerStatus> statuses = new HashSet<>();
        Set<Integer> exitCodes = new HashSet<>();
        Set<String> types = new HashSet<>();
        for (String what : retryOn) {
            String item = what.trim();
            if (item.startsWith("exit=")) {
                try {
                    exitCodes.add(Integer.parseInt(item.substring(5)));
                } catch (NumberFormatException e) {
                    throw new BadInputException("--retry-on '" + item + "': the exit code is not a number");
                }
                continue;
            }
            try {
                WorkerStatus status = WorkerStatus.valueOf(item.toUpperCase(Locale.ROOT).replace('-', '_'));
                if (!status.isFailure()) {
                    throw new BadInputException("--retry-on '" + item + "': only failed, crashed, timed_out and memory_exceeded are retried");
                }
                statuses.add(status);
            } catch (IllegalArgumentException notAStatus) {
                if (!EXCEPTION_TYPE.matcher(item).matches()) {
                    // A misspelt status ("timeout") taken as an exception type would retry nothing, and say nothing.
                    throw new BadInputException("--retry-on '" + item + "' is neither a status (failed, crashed, timed_out,"
                            + " memory_exceeded), exit=CODE, nor an exception type's name (such as IOException or"
                            + " java.io.IOException)");
                }
                types.add(item);
            }
        }
        return policy.withRetryOn(statuses).withRetryExitCodes(exitCodes).withRetryExceptionTypes(types);
    }

    /** A class's name, simple or qualified: its last part begins with a capital, as every exception's does. */
    private static final java.util.regex.Pattern EXCEPTION_TYPE =
            java.util.regex.Pattern.compile("([A-Za-z_$][A-Za-z0-9_$]*\\.)*[A-Z][A-Za-z0-9_$]*");

    /** The most seconds an option takes: a year. Far past it, the nanoseconds the timeouts are counted in overflow. */
    private static final double MOST_SECONDS = 365 * 24 * 3600;

    private static Duration seconds(double value, String option, boolean zeroAllowed) {
        long millis = Math.round(value * 1000);
        // In milliseconds, the timeouts' precision: 0.0001 s is 0 ms, which a timeout cannot be.
        if (value < 0 || (!zeroAllowed && millis == 0) || Double.isNaN(value) || value > MOST_SECONDS) {
            throw new BadInputException(option + " must be " + (zeroAllowed ? "0 or more" : "at least 0.001") + " seconds and at"
                    + " most a year (" + (long) MOST_SECONDS + "), not " + value);
        }
        return Duration.ofMillis(millis);
    }

    /** Accepts {@code fail-fast}, {@code FAIL_FAST}, {@code keep-going}... */
    static final class PolicyConverter implements CommandLine.ITypeConverter<FailurePolicy> {
        @Override
        public FailurePolicy convert(String value) {
            try {
                return FailurePolicy.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a policy: use fail-fast or keep-going");
            }
        }
    }
}
