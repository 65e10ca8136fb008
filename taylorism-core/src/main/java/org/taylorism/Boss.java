package org.taylorism;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.taylorism.internal.engine.Engine;
import org.taylorism.internal.engine.EngineSettings;
import org.taylorism.internal.engine.ResumeRequest;
import org.taylorism.spi.RunStore;
import org.taylorism.spi.SubTaskChannel;
import org.taylorism.spi.WorkerLauncher;

/**
 * Receives instruction sets and control signals, launches a worker for each set when the scheduler allows,
 * and collects every worker's end into a report.
 *
 * <pre>{@code
 * try (Boss boss = Boss.builder().scheduler(Scheduler.maxThreads(2)).build()) {
 *     boss.setInstructions(Map.of("wakeup_sentence", "Hi"), Map.of("sleeping_time", List.of(1, 2, 3)));
 *     boss.makeThemWork();
 *     Report report = boss.waitTillFinished();
 * }
 * }</pre>
 *
 * <p>All methods are thread-safe. A Boss is created halted: nothing launches before {@link #makeThemWork()}
 * (or the RESUME signal). It is the public face of an engine ({@code org.taylorism.internal.engine.Engine},
 * where its threads and its lifecycle are drawn) that owns the run on a thread of its own, {@code taylorism-boss-N}.
 */
public final class Boss implements AutoCloseable {

    /** Where a Boss is in its lifecycle; it only moves forward, in this order. */
    public enum State {
        /** Accepting instructions; launching unless halted. */
        LISTENING,
        /** END received: running what is pending, accepting nothing new. */
        DRAINING,
        /** STOP received, or a halt policy that lets running workers finish: launching nothing, waiting for them. */
        STOPPING,
        /** STOP_RIGHTNOW, a halt policy, a broken scheduler or close(): stopping running workers. */
        KILLING,
        /** The final report is ready. */
        TERMINATED
    }

    private final Engine engine;

    private Boss(Engine engine) {
        this.engine = engine;
    }

    /** A builder with the defaults: one worker per CPU, local processes, discovered workers, fail-fast. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds instruction sets made from {@code common} and {@code individual} (see {@link Instructions#expand}).
     * Every set is matched to its worker class now, in the caller's thread.
     *
     * @throws InstructionsException when lists differ in length or some set fits no worker class: the
     *     message names each such set and, per candidate class, why it was rejected; nothing of this batch
     *     is queued
     * @throws IllegalStateException when the Boss no longer accepts instructions (END or a STOP was sent,
     *     or it has terminated)
     */
    public List<Task> setInstructions(Map<String, ?> common, Map<String, ?> individual) {
        return addInstructions(Instructions.expand(common, individual));
    }

    /**
     * Adds instruction sets given one by one; same rules as {@link #setInstructions(Map, Map)}.
     *
     * @return the tasks made of them, in order: named (a set without a name gets one) and numbered
     */
    public List<Task> addInstructions(List<? extends Map<String, ?>> instructionSets) {
        return engine.submit(instructionSets);
    }

    /** Sends RESUME: workers may be launched. */
    public void makeThemWork() {
        send(Signal.RESUME);
    }

    /**
     * The original's form: sends RESUME, then STOP_LISTENING if {@code stopListening}, then END if
     * {@code terminate}. The same as {@link #makeThemWork()}, {@code send(Signal.STOP_LISTENING)} and
     * {@link #end()} in that order.
     */
    public void makeThemWork(boolean terminate, boolean stopListening) {
        send(Signal.RESUME);
        if (stopListening) {
            send(Signal.STOP_LISTENING);
        }
        if (terminate) {
            end();
        }
    }

    /** Sends STOP_RIGHTNOW: running workers are killed, nothing more is launched. */
    public void stopThemWorking() {
        send(Signal.STOP_RIGHTNOW);
    }

    /** Sends END: no more instructions will come; the Boss stops once everything pending has run. */
    public void end() {
        send(Signal.END);
    }

    /**
     * Sends a control signal. Signals that end the run (END, STOP, STOP_LISTENING, STOP_RIGHTNOW) and
     * SEND_REPORT do nothing once the Boss has terminated.
     *
     * @throws IllegalStateException for HALT or RESUME sent to a terminated Boss
     */
    public void send(Signal signal) {
        engine.send(Objects.requireNonNull(signal, "signal"));
    }

    /**
     * Changes the rules of the run while it goes on (scheduler, halt policy, retry policy; see
     * {@link Reconfiguration}): applied by the Boss thread after any message sent before this call, in time for
     * the next scheduling round; listeners are told ({@link BossListener#reconfigured}).
     *
     * @throws IllegalStateException when the Boss has terminated
     */
    public void reconfigure(Reconfiguration change) {
        engine.reconfigure(Objects.requireNonNull(change, "change"));
    }

    /**
     * The original's form: {@link #interimReport()} when {@code interim}, else {@link #publishedReport()} (or
     * null when nothing was published yet). Once the run is over, both give the final report.
     */
    public Report getReport(boolean interim) {
        return interim ? interimReport() : engine.lastPublishedReport();
    }

    /**
     * An interim report, made now by the Boss thread (after any message sent before this call), with why each
     * pending set waits; the final report once the run is over.
     */
    public Report interimReport() {
        return engine.interimReport();
    }

    /** The last interim report published on SEND_REPORT, or the final report once the run is over. */
    public Optional<Report> publishedReport() {
        return Optional.ofNullable(engine.lastPublishedReport());
    }

    /**
     * Sends END and waits for the final report. May be called any number of times, from any thread.
     *
     * @throws WorkerFailedException when a worker failed under {@link FailurePolicy#FAIL_FAST}; it carries
     *     the report
     * @throws RunFailedException when the run was aborted for another reason (a scheduler that threw)
     * @throws IllegalStateException when the Boss was never told to work: it is halted and would wait forever
     */
    public Report waitTillFinished() {
        engine.checkWillFinish();
        end();
        return orThrow(Engine.await(engine.finalReport()));
    }

    /** {@link #waitTillFinished()}, giving up after {@code timeout}. */
    public Report waitTillFinished(Duration timeout) throws TimeoutException {
        engine.checkWillFinish();
        end();
        try {
            return orThrow(engine.finalReport().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaylorismException("interrupted while waiting for the Boss", e);
        } catch (ExecutionException e) {
            throw new TaylorismException("the Boss failed", e.getCause());
        }
    }

    private static Report orThrow(Report report) {
        if (report.status() != RunStatus.FAILED) {
            return report;
        }
        if (report.failedWorker() != null) {
            // Names may repeat (a clash is itself a failure): the culprit is the entry that was not killed.
            Optional<WorkerReport> failure = report.workers().stream()
                    .filter(w -> w.name().equals(report.failedWorker()) && w.status() != WorkerStatus.KILLED)
                    .findFirst();
            if (failure.isPresent()) {
                throw new WorkerFailedException(report, failure.get());
            }
        }
        throw new RunFailedException(report.error() == null ? "the run failed" : report.error().oneLine(), report);
    }

    /**
     * Adds sub-tasks of the running worker of {@code parent}, as {@link #addInstructions} adds sets, but: each is
     * named under its parent ({@code PARENT/NAME}, or {@code PARENT/TYPE-ID} when it has no name; {@code PARENT#2/...}
     * for its second attempt's); pending
     * sub-tasks go before other pending sets; END does not refuse them (a running worker may need them to
     * finish), but a STOP cancels those not launched yet; and when the parent's attempt ends other than
     * succeeded, those of them not ended yet are cancelled (pending ones dropped, running ones stopped), theirs too. A server submits them on behalf of a
     * worker ({@code org.taylorism.client.SubTasks}); the worker's contact comes from the
     * {@link Builder#subTaskChannel}.
     *
     * @return the sub-tasks, in order
     * @throws InstructionsException naming each bad set; nothing is queued
     * @throws IllegalStateException when the Boss no longer accepts them (a STOP was sent, or it has terminated)
     */
    public List<Task> addSubTasks(Task parent, List<? extends Map<String, ?>> instructionSets) {
        return engine.submitSubTasks(Objects.requireNonNull(parent, "parent"), instructionSets);
    }

    /**
     * The worker of {@code parent} waits for {@code subTasks} (its own, from {@link #addSubTasks}): until they have
     * all ended, the scheduler does not count it, so its slot (with the memory and resources it declared) goes to
     * sub-tasks and a run whose every slot holds a waiting parent still goes on. The slot comes back when the
     * last of them ends, or when the parent's attempt does.
     *
     * @return completed once none of {@code subTasks} is left to end (at once when none was), or the run is over;
     *     cancelling it takes the slot back at once (a worker that stopped waiting, and works on in its own slot)
     */
    public CompletableFuture<Void> lendSlot(Task parent, List<Task> subTasks) {
        return engine.lendSlot(Objects.requireNonNull(parent, "parent"), List.copyOf(subTasks));
    }

    /**
     * Cancels the worker(s) with this name: a pending set is dropped, a running worker is stopped (its whole
     * process tree). Either way it is reported as {@code cancelled}.
     *
     * @return whether a pending set or a running worker had that name
     */
    public boolean cancel(String name) {
        return engine.cancel(Objects.requireNonNull(name, "name"));
    }

    /**
     * Suspends the running worker with this name and its whole process tree (SIGSTOP). Its timeout and
     * stall clocks stop while it is paused.
     *
     * @return whether a running worker had that name
     * @throws UnsupportedOperationException when the launcher cannot pause workers
     */
    public boolean pauseWorker(String name) {
        return engine.pause(Objects.requireNonNull(name, "name"), true);
    }

    /** Resumes a worker paused with {@link #pauseWorker(String)} (SIGCONT). */
    public boolean continueWorker(String name) {
        return engine.pause(Objects.requireNonNull(name, "name"), false);
    }

    /** Where the Boss is in its lifecycle. */
    public State state() {
        return engine.state();
    }

    /** The final report once the run is over; never fails, whatever the report's status. */
    public CompletableFuture<Report> finalReport() {
        return engine.finalReport().copy();
    }

    /**
     * Stops everything: STOP_RIGHTNOW if the run is not over, waits for the stopped workers' ends, kills any
     * worker still alive (those left by STOP_LISTENING too) and waits for them to be gone; then closes the
     * launcher. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** Configures a Boss. Each setting is copied when {@link #build()} is called. */
    public static final class Builder {

        private Scheduler scheduler;
        private WorkerLauncher launcher;
        private WorkerRegistry registry;
        private HaltPolicy haltPolicy = HaltPolicy.FAIL_FAST;
        private RetryPolicy retryPolicy = RetryPolicy.NONE;
        private Duration defaultTimeout;
        private Duration defaultStallTimeout;
        private double memoryTolerance;
        private Duration sampleInterval = Duration.ofMillis(200);
        private boolean verbose;
        private int maxLenReport = 1024;
        private final List<BossListener> listeners = new ArrayList<>();
        private Duration stopGracePeriod = Duration.ofSeconds(5);
        private Path runDirectory;
        private String javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        private List<String> javaOptions = List.of();
        private String classpath = System.getProperty("java.class.path");
        private boolean classDataSharing = true;
        private RunStore store;
        private String source = "java";
        private Map<String, String> recordedOptions = Map.of();
        private ResumeRequest resume;
        private SubTaskChannel subTaskChannel;
        private int retainReports = Integer.MAX_VALUE;
        private Duration retainFor;

        private Builder() {
        }

        /**
         * Decides what launches when; default the launcher's {@link WorkerLauncher#defaultScheduler()}: one worker
         * per CPU for local launchers.
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Starts the workers; default {@link WorkerLauncher#localProcesses()}. */
        public Builder launcher(WorkerLauncher launcher) {
            this.launcher = Objects.requireNonNull(launcher, "launcher");
            return this;
        }

        /** The worker classes instructions are matched to; default {@link WorkerRegistry#discover()}. */
        public Builder registry(WorkerRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * What a worker's failure does to the run, in the original's two words: the same setting as
         * {@link #haltPolicy} ({@code FAIL_FAST} is {@link HaltPolicy#FAIL_FAST}, {@code KEEP_GOING} is
         * {@link HaltPolicy#KEEP_GOING}); the last call of either wins. Default {@link FailurePolicy#FAIL_FAST}.
         */
        public Builder failurePolicy(FailurePolicy failurePolicy) {
            this.haltPolicy = HaltPolicy.of(Objects.requireNonNull(failurePolicy, "failurePolicy"));
            return this;
        }

        /**
         * When failures stop the run ({@code now,fail=1} is fail-fast), as GNU parallel's {@code --halt}; the same
         * setting as {@link #failurePolicy}, the last call of either wins. Default {@link HaltPolicy#FAIL_FAST}.
         */
        public Builder haltPolicy(HaltPolicy haltPolicy) {
            this.haltPolicy = Objects.requireNonNull(haltPolicy, "haltPolicy");
            return this;
        }

        /** Which failed workers are tried again; default {@link RetryPolicy#NONE}. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** Timeout of workers whose instructions give no {@code timeout}; default none. */
        public Builder defaultTimeout(Duration timeout) {
            this.defaultTimeout = positive(timeout, "defaultTimeout");
            return this;
        }

        /** Stall timeout of workers whose instructions give no {@code stall_timeout}; default none. */
        public Builder stallTimeout(Duration stallTimeout) {
            this.defaultStallTimeout = positive(stallTimeout, "stallTimeout");
            return this;
        }

        /**
         * Stops a worker whose process tree uses more than its declared {@code memory} times {@code tolerance}
         * ({@code memory_exceeded}); 0, the default, enforces nothing. Workers without {@code memory} are
         * never stopped for memory.
         */
        public Builder memoryTolerance(double tolerance) {
            if (tolerance < 0 || Double.isNaN(tolerance)) {
                throw new IllegalArgumentException("memory tolerance < 0: " + tolerance);
            }
            this.memoryTolerance = tolerance;
            return this;
        }

        /** How often the process trees' memory and output are sampled; default 200 ms. */
        public Builder sampleInterval(Duration interval) {
            this.sampleInterval = positive(interval, "sampleInterval");
            return this;
        }

        private static Duration positive(Duration duration, String what) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + duration);
            }
            return duration;
        }

        /** Logs "Worker X started." and every worker's end at INFO level instead of DEBUG. */
        public Builder verbose(boolean verbose) {
            this.verbose = verbose;
            return this;
        }

        /** Length at which results are cut in the verbose log; default 1024. */
        public Builder maxLenReport(int maxLenReport) {
            if (maxLenReport < 1) {
                throw new IllegalArgumentException("maxLenReport < 1: " + maxLenReport);
            }
            this.maxLenReport = maxLenReport;
            return this;
        }

        /** Adds a listener, told of the run's events on the Boss thread (see {@link BossListener}). */
        public Builder listener(BossListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Gives each Java worker a contact to reach this Boss, to submit sub-tasks and wait for them (see
         * {@link Boss#addSubTasks}); default none. The server of {@code taylorism serve} sets it.
         */
        public Builder subTaskChannel(SubTaskChannel channel) {
            this.subTaskChannel = Objects.requireNonNull(channel, "channel");
            return this;
        }

        /**
         * Bounds the reports of ended sets the Boss holds, for a Boss that runs for days (a server): it holds the
         * latest {@code maxReports}, none longer than {@code maxAge} (null: no bound of age), and lets go of older
         * ones after each scheduling round. Reports then list what is held, count everything, and say how many they
         * do not list ({@link Report#notHeld}); a run store keeps them all. Default: every report, for the whole run.
         */
        public Builder retainEnded(int maxReports, Duration maxAge) {
            if (maxReports < 0 || maxAge != null && maxAge.isNegative()) {
                throw new IllegalArgumentException("retainEnded needs 0 or more reports and a duration of 0 or more: "
                        + maxReports + ", " + maxAge);
            }
            this.retainReports = maxReports;
            this.retainFor = maxAge;
            return this;
        }

        /** Time between SIGTERM and SIGKILL when workers are stopped; default 5 s. */
        public Builder stopGracePeriod(Duration grace) {
            if (grace.isNegative()) {
                throw new IllegalArgumentException("stopGracePeriod is negative: " + grace);
            }
            this.stopGracePeriod = grace;
            return this;
        }

        /**
         * Where each worker's stdout, stderr and task files go; default a new directory in the system temp dir.
         * With a {@link #store}, the run's own directory, named by its id, goes below it.
         */
        public Builder runDirectory(Path runDirectory) {
            this.runDirectory = Objects.requireNonNull(runDirectory, "runDirectory");
            return this;
        }

        /** The java command of worker JVMs; default the one running this JVM. */
        public Builder javaExecutable(String javaExecutable) {
            this.javaExecutable = Objects.requireNonNull(javaExecutable, "javaExecutable");
            return this;
        }

        /** JVM options of worker JVMs, e.g. {@code -Xmx512m}; default none. */
        public Builder javaOptions(List<String> javaOptions) {
            this.javaOptions = List.copyOf(javaOptions);
            return this;
        }

        /** Class path of worker JVMs; default this JVM's {@code java.class.path}. */
        public Builder classpath(String classpath) {
            this.classpath = Objects.requireNonNull(classpath, "classpath");
            return this;
        }

        /**
         * Whether worker JVMs use a class-data archive of the classes they load, built once per JDK and class
         * path in the user's cache (about twice as fast a start); default true. Off, or where the JVM cannot,
         * workers start without one.
         */
        public Builder classDataSharing(boolean enabled) {
            this.classDataSharing = enabled;
            return this;
        }

        /**
         * Records the run in {@code store} as it goes: its sets, attempts, results and errors, so that it can be
         * looked at (and resumed) after the Boss is gone. The run's files then go in a directory of its own,
         * named by its id: below {@link #runDirectory} when one is given, else below the store's. Default none.
         *
         * @throws RunStoreException from {@link #build()} when the store cannot be written, naming it
         */
        public Builder store(RunStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * What the store records of where the instructions come from and the options the run was started with;
         * default {@code java} and none.
         */
        public Builder recordedAs(String source, Map<String, String> options) {
            this.source = Objects.requireNonNull(source, "source");
            this.recordedOptions = Map.copyOf(options);
            return this;
        }

        /**
         * Resumes run {@code runId} of the {@link #store} (its id, or a prefix only it has): each set given to this
         * Boss that the earlier run had (the same worker type and resolved instructions, at the same position among
         * identical sets) is handled as the {@link ResumePolicy} says, by default skipped when it succeeded there,
         * its report carried into this run's; the others run. What the earlier run's Boss left running is stopped
         * first, and a Java worker's result that it never recorded is adopted from the file the worker left.
         *
         * @throws RunStoreException from {@link #build()} when the store has no such run, or it still runs
         */
        public Builder resume(String runId, ResumePolicy policy) {
            this.resume = new ResumeRequest(Objects.requireNonNull(runId, "runId"), policy);
            return this;
        }

        /** {@link #resume(String, ResumePolicy)} the latest run the store recorded with this run's {@link #recordedAs source}. */
        public Builder resumeLatest(ResumePolicy policy) {
            this.resume = new ResumeRequest(null, policy);
            return this;
        }

        /**
         * Creates the Boss and starts its thread. The Boss is halted until {@link Boss#makeThemWork()}. The
         * launcher is the Boss's, closed with it, or at once when the Boss cannot be built.
         */
        public Boss build() {
            WorkerLauncher chosen = launcher != null ? launcher : WorkerLauncher.localProcesses();
            EngineSettings settings;
            try {
                if (resume != null && store == null) {
                    throw new IllegalStateException("a Boss resumes a run of its store: give it one (Builder.store)");
                }
                settings = new EngineSettings(scheduler != null ? scheduler : chosen.defaultScheduler(), chosen,
                        registry != null ? registry : WorkerRegistry.discover(), haltPolicy, retryPolicy, defaultTimeout,
                        defaultStallTimeout, memoryTolerance, sampleInterval, verbose, maxLenReport, listeners, stopGracePeriod,
                        runDirectory, javaExecutable, javaOptions, classpath, classDataSharing, store, source, recordedOptions,
                        resume, subTaskChannel, retainReports, retainFor);
            } catch (RuntimeException | Error e) {
                // The launcher is the Boss's from here: with no Boss, nobody else would close it.
                chosen.close();
                throw e;
            }
            return new Boss(Engine.start(settings));
        }
    }
}
