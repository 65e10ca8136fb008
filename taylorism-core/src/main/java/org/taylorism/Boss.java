package org.taylorism;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.LaunchedWorker;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.spi.WorkerOutcome;

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
 * (or the RESUME signal).
 */
public final class Boss implements AutoCloseable {

    /*
     * Threads
     * -------
     * One thread, "taylorism-boss-N", owns every piece of run state (pending sets, running workers, ended
     * entries, tickets). It blocks on one inbox and handles, in arrival order: instruction batches, control
     * signals, worker ends and report requests. Nothing else touches the run state, so it needs no lock.
     * Callers' threads only match instruction sets (pure) and post messages. Launchers post worker ends
     * from their own threads (the JDK's process reaper for local processes).
     *
     * After each batch of messages the Boss thread holds one scheduling round: the scheduler picks from
     * pending, the Boss moves the picks to running, and only after the scheduler has returned does it call
     * the launcher. No plug-in (scheduler, launcher, listener) is ever called with a lock held, and a
     * throwing plug-in cannot kill this thread: a scheduler or launcher failure ends the run or the worker
     * with a report, a listener failure is logged.
     *
     * The one lock, sendLock, makes "may this message still be posted?" and the posting atomic, so an
     * instruction batch sent after END is refused rather than dropped, and a report request is never left
     * unanswered in a closed inbox.
     *
     * Lifecycle
     * ---------
     *   LISTENING --END------------> DRAINING --(nothing pending, nothing running)--> TERMINATED
     *   LISTENING/DRAINING --STOP--> STOPPING --(nothing running)--------------------> TERMINATED
     *   any but TERMINATED --STOP_RIGHTNOW, fail-fast, close()--> KILLING --(every
     *                        stopped worker's end collected)-----------------------> TERMINATED
     *   any but TERMINATED --STOP_LISTENING-------------------------------------------> TERMINATED
     *
     * States only move forward in that order (a STOP after STOP_RIGHTNOW changes nothing). Orthogonally,
     * "halted" (HALT/RESUME, initially halted) forbids launching in LISTENING and DRAINING. Instructions
     * are accepted in LISTENING only. In TERMINATED the final report is set once and handed to every caller
     * of waitTillFinished() and getReport(), any number of times. KILLING always ends: stopping is TERM,
     * then KILL after the grace period, and the launcher reports every end.
     *
     * Processes
     * ---------
     * Every launched worker is also kept in "live" (a concurrent map) until its end is seen, so close() and
     * the JVM shutdown hook can kill whatever still runs, including workers left running by STOP_LISTENING
     * after the Boss thread is gone.
     */

    /** Where a Boss is in its lifecycle. */
    public enum State {
        /** Accepting instructions; launching unless halted. */
        LISTENING,
        /** END received: running what is pending, accepting nothing new. */
        DRAINING,
        /** STOP received: launching nothing, waiting for running workers. */
        STOPPING,
        /** STOP_RIGHTNOW, fail-fast or close(): stopping running workers. */
        KILLING,
        /** The final report is ready. */
        TERMINATED
    }

    private static final Logger log = LoggerFactory.getLogger(Boss.class);
    private static final AtomicInteger BOSS_NUMBERS = new AtomicInteger();
    private static final int MAX_PROBLEMS_LISTED = 20;

    // Configuration, fixed at build time.
    private final Scheduler scheduler;
    private final WorkerLauncher launcher;
    private final WorkerRegistry registry;
    private final HaltPolicy haltPolicy;
    private final RetryPolicy retryPolicy;
    private final Duration defaultTimeout;
    private final Duration defaultStallTimeout;
    private final double memoryTolerance;
    private final ResourceMonitor monitor;
    private final boolean verbose;
    private final int maxLenReport;
    private final List<BossListener> listeners;
    private final Duration stopGracePeriod;
    private final Path requestedRunDirectory;
    private final List<String> javaCommand;
    /** Null when class-data sharing is off. */
    private final ClassDataArchive classDataArchive;

    // Shared between threads.
    private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    private final Object sendLock = new Object();
    private String refusal;               // guarded by sendLock; why instructions are refused, null while accepted
    private boolean inboxClosed;          // guarded by sendLock
    private volatile boolean everResumed;
    private volatile boolean haltRequested = true;
    private volatile boolean closing;
    private volatile State state = State.LISTENING;
    private volatile Report lastPublished;
    private final CompletableFuture<Report> finalReport = new CompletableFuture<>();
    private final Map<Long, LaunchedWorker> live = new ConcurrentHashMap<>();
    /** Workers whose end was reported before start() put them in "live". */
    private final Set<Long> endedBeforeKnown = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextTaskId = new AtomicLong(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;
    private final Thread shutdownHook;

    // Run state, Boss thread only.
    private final LinkedHashMap<Long, Task> pending = new LinkedHashMap<>();
    /** Sets whose not_before is in the future, earliest first; they join pending when due. */
    private final PriorityQueue<Task> delayed = new PriorityQueue<>(
            Comparator.comparing(Task::notBefore).thenComparingLong(Task::id));
    private Instant nextWakeUp;
    private final LinkedHashMap<Long, Running> running = new LinkedHashMap<>();
    private final Set<String> runningNames = new HashSet<>();
    private final List<WorkerReport> ended = new ArrayList<>();
    private final BitSet tickets = new BitSet();
    private boolean halted = true;
    private boolean haltedDrainWarned;
    private ErrorInfo abortError;
    private String abortedBy;
    private Path runDirectory;
    private int submitted;
    private int failures;
    /** Earlier attempts of workers being retried, by task id. */
    private final Map<Long, List<AttemptReport>> earlierAttempts = new HashMap<>();

    private Boss(Builder builder) {
        this.launcher = builder.launcher;
        this.scheduler = launcher.constrain(builder.scheduler);
        this.registry = builder.registry != null ? builder.registry : WorkerRegistry.discover();
        this.haltPolicy = builder.haltPolicy;
        this.retryPolicy = builder.retryPolicy;
        this.defaultTimeout = builder.defaultTimeout;
        this.defaultStallTimeout = builder.defaultStallTimeout;
        this.memoryTolerance = builder.memoryTolerance;
        this.verbose = builder.verbose;
        this.maxLenReport = builder.maxLenReport;
        this.listeners = List.copyOf(builder.listeners);
        this.stopGracePeriod = builder.stopGracePeriod;
        this.requestedRunDirectory = builder.runDirectory;
        List<String> java = new ArrayList<>();
        java.add(builder.javaExecutable);
        java.addAll(builder.javaOptions);
        java.add("-cp");
        java.add(builder.classpath);
        this.javaCommand = List.copyOf(java);
        this.classDataArchive = builder.classDataSharing ? ClassDataArchive.forWorkers(javaCommand.get(0), builder.javaOptions, builder.classpath) : null;
        int number = BOSS_NUMBERS.incrementAndGet();
        String threadName = "taylorism-boss-" + number;
        this.monitor = new ResourceMonitor(new MonitorAlarm(), builder.sampleInterval, "taylorism-monitor-" + number);
        this.thread = new Thread(this::runLoop, threadName);
        this.shutdownHook = new Thread(this::killEverythingLive, threadName + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        thread.start();
    }

    /** A builder with the defaults: one worker per CPU, local processes, discovered workers, fail-fast. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------------
    // Public API: any thread.

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
    public void setInstructions(Map<String, ?> common, Map<String, ?> individual) {
        addInstructions(Instructions.expand(common, individual));
    }

    /** Adds instruction sets given one by one; same rules as {@link #setInstructions(Map, Map)}. */
    public void addInstructions(List<? extends Map<String, ?>> instructionSets) {
        synchronized (sendLock) {
            if (refusal != null) {
                throw new IllegalStateException("the Boss no longer accepts instructions: " + refusal);
            }
        }
        List<Task> tasks = match(instructionSets);
        synchronized (sendLock) {
            if (refusal != null) {
                throw new IllegalStateException("the Boss no longer accepts instructions: " + refusal);
            }
            inbox.add(new Submit(tasks));
        }
    }

    /** Sends RESUME: workers may be launched. */
    public void makeThemWork() {
        makeThemWork(false, false);
    }

    /**
     * Sends RESUME, then STOP_LISTENING if {@code stopListening}, then END if {@code terminate}, as the
     * original does.
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
        Objects.requireNonNull(signal, "signal");
        synchronized (sendLock) {
            if (inboxClosed) {
                if (signal == Signal.HALT || signal == Signal.RESUME) {
                    throw new IllegalStateException("the Boss has terminated: " + signal + " has no effect");
                }
                return;
            }
            if (signal == Signal.RESUME) {
                everResumed = true;
                haltRequested = false;
            } else if (signal == Signal.HALT) {
                haltRequested = true;
            }
            if (signal.endsInstructions() && refusal == null) {
                refusal = signal + " was sent";
            }
            inbox.add(new Control(signal));
        }
    }

    /**
     * A report of the run.
     *
     * @param interim whether to ask the Boss for an up-to-date interim report (waiting for its answer)
     * @return the final report when the run is over; otherwise the interim report just made if
     *     {@code interim}, or the last one published on SEND_REPORT (null when there is none)
     */
    public Report getReport(boolean interim) {
        if (finalReport.isDone()) {
            return finalReport.join();
        }
        if (!interim) {
            return lastPublished;
        }
        CompletableFuture<Report> answer = new CompletableFuture<>();
        synchronized (sendLock) {
            if (inboxClosed) {
                return await(finalReport);
            }
            inbox.add(new ReportRequest(answer));
        }
        return await(answer);
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
        checkStarted();
        end();
        return orThrow(await(finalReport));
    }

    /** {@link #waitTillFinished()}, giving up after {@code timeout}. */
    public Report waitTillFinished(Duration timeout) throws TimeoutException {
        checkStarted();
        end();
        try {
            return orThrow(finalReport.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaylorismException("interrupted while waiting for the Boss", e);
        } catch (ExecutionException e) {
            throw new TaylorismException("the Boss failed", e.getCause());
        }
    }

    /**
     * Cancels the worker(s) with this name: a pending set is dropped, a running worker is stopped (its whole
     * process tree). Either way it is reported as {@code cancelled}.
     *
     * @return whether a pending set or a running worker had that name
     */
    public boolean cancel(String name) {
        return ask(answer -> new Cancel(Objects.requireNonNull(name, "name"), answer));
    }

    /**
     * Suspends the running worker with this name and its whole process tree (SIGSTOP). Its timeout and
     * stall clocks stop while it is paused.
     *
     * @return whether a running worker had that name
     * @throws UnsupportedOperationException when the launcher cannot pause workers
     */
    public boolean pauseWorker(String name) {
        return ask(answer -> new Pause(Objects.requireNonNull(name, "name"), true, answer));
    }

    /** Resumes a worker paused with {@link #pauseWorker(String)} (SIGCONT). */
    public boolean continueWorker(String name) {
        return ask(answer -> new Pause(Objects.requireNonNull(name, "name"), false, answer));
    }

    private boolean ask(java.util.function.Function<CompletableFuture<Boolean>, Message> question) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        synchronized (sendLock) {
            if (inboxClosed) {
                return false;
            }
            inbox.add(question.apply(answer));
        }
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaylorismException("interrupted while waiting for the Boss", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new TaylorismException("the Boss failed", e.getCause());
        }
    }

    /** Where the Boss is in its lifecycle. */
    public State state() {
        return state;
    }

    /** The final report once the run is over; never fails, whatever the report's status. */
    public CompletableFuture<Report> finalReport() {
        return finalReport.copy();
    }

    /**
     * Stops everything: STOP_RIGHTNOW if the run is not over, waits for the stopped workers' ends, kills any
     * worker still alive (those left by STOP_LISTENING too) and waits for them to be gone. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        try {
            if (!finalReport.isDone()) {
                send(Signal.STOP_RIGHTNOW);
                try {
                    finalReport.get(stopGracePeriod.toMillis() + 10_000, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    log.warn("The Boss did not stop in time; its workers are killed", e);
                    thread.interrupt();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            killEverythingLive();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            monitor.close();
            try {
                launcher.close();
            } catch (Exception e) {
                log.warn("Launcher {} failed to close", launcher.name(), e);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run; nothing to remove
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Callers' side helpers.

    private List<Task> match(List<? extends Map<String, ?>> instructionSets) {
        Set<String> schedulerKeys;
        try {
            schedulerKeys = scheduler.keysRead();
        } catch (RuntimeException e) {
            schedulerKeys = Set.of();
        }
        List<Task> tasks = new ArrayList<>(instructionSets.size());
        List<String> problems = new ArrayList<>();
        int unlisted = 0;
        Map<String, List<Integer>> unknownKeys = new LinkedHashMap<>();
        Map<String, List<Integer>> ties = new LinkedHashMap<>();
        for (int i = 0; i < instructionSets.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> set = Collections.unmodifiableMap(new LinkedHashMap<>((Map<String, Object>) instructionSets.get(i)));
            WorkerRegistry.Match match;
            try {
                match = registry.match(set);
            } catch (InstructionsException e) {
                if (problems.size() < MAX_PROBLEMS_LISTED) {
                    problems.add("instruction set #" + (i + 1) + ": " + e.getMessage());
                } else {
                    unlisted++;
                }
                continue;
            }
            Set<String> unknown = new java.util.LinkedHashSet<>(match.unknownKeys());
            unknown.removeAll(schedulerKeys);
            if (!unknown.isEmpty()) {
                unknownKeys.computeIfAbsent(match.type().name() + " does not read " + unknown, k -> new ArrayList<>()).add(i + 1);
            }
            if (!match.tiedWith().isEmpty()) {
                ties.computeIfAbsent(match.type().name() + " chosen over "
                        + match.tiedWith().stream().map(WorkerType::name).toList(), k -> new ArrayList<>()).add(i + 1);
            }
            String badValue = BuiltInValues.problem(match.values());
            if (badValue != null) {
                if (problems.size() < MAX_PROBLEMS_LISTED) {
                    problems.add("instruction set #" + (i + 1) + ": " + badValue);
                } else {
                    unlisted++;
                }
                continue;
            }
            Instant notBefore = null;
            if (match.values().get("not_before") != null) {
                try {
                    notBefore = NotBefore.parse((String) match.values().get("not_before"), Instant.now(), ZoneId.systemDefault());
                } catch (IllegalArgumentException e) {
                    if (problems.size() < MAX_PROBLEMS_LISTED) {
                        problems.add("instruction set #" + (i + 1) + ": " + e.getMessage());
                    } else {
                        unlisted++;
                    }
                    continue;
                }
            }
            long id = nextTaskId.getAndIncrement();
            Map<String, Object> values = match.values();
            String name = (String) values.get("name");
            if (name == null) {
                name = match.type().name().toLowerCase(Locale.ROOT) + "-" + id;
                Map<String, Object> named = new LinkedHashMap<>(values);
                named.put("name", name);
                values = Collections.unmodifiableMap(named);
            } else if (set.get("name") != null && !name.equals(set.get("name"))) {
                // Reports show the name the worker had, not the template it came from.
                Map<String, Object> resolved = new LinkedHashMap<>(set);
                resolved.put("name", name);
                set = Collections.unmodifiableMap(resolved);
            }
            tasks.add(new Task(id, name, match.type(), set, values, notBefore, 1));
        }
        if (unlisted > 0) {
            problems.add("... and " + unlisted + " more instruction sets that fit no worker class");
        }
        if (!problems.isEmpty()) {
            throw new InstructionsException(problems);
        }
        unknownKeys.forEach((what, sets) -> log.warn("Unknown keys ignored: {} (instruction sets {})", what, shortList(sets)));
        ties.forEach((what, sets) -> log.warn("Ambiguous instructions, same priority and attribute count: {} by class name"
                + " (instruction sets {})", what, shortList(sets)));
        return tasks;
    }

    private static String shortList(List<Integer> numbers) {
        return numbers.size() <= 10 ? numbers.toString()
                : numbers.subList(0, 10).toString().replace("]", ", ... " + numbers.size() + " in all]");
    }

    private void checkStarted() {
        if (finalReport.isDone() || refusalSet()) {
            return; // ending already (END or a STOP was sent): it will finish, halted or not
        }
        if (!everResumed) {
            throw new IllegalStateException("the Boss was never told to work: it is halted and would wait forever;"
                    + " call makeThemWork() (or send RESUME) before waitTillFinished()");
        }
        if (haltRequested) {
            throw new IllegalStateException("the Boss is halted (HALT was sent) and would wait forever for RESUME;"
                    + " send RESUME, or STOP to end with what has run");
        }
    }

    private boolean refusalSet() {
        synchronized (sendLock) {
            return refusal != null && !refusal.startsWith(Signal.END.name());
        }
    }

    private Report orThrow(Report report) {
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

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaylorismException("interrupted while waiting for the Boss", e);
        } catch (ExecutionException e) {
            throw new TaylorismException("the Boss failed", e.getCause());
        }
    }

    private void workerEnded(long id, WorkerOutcome outcome) {
        Instant at = Instant.now();
        if (live.remove(id) == null) {
            endedBeforeKnown.add(id); // reported from within launch(): start() must not keep it as live
        }
        synchronized (sendLock) {
            if (!inboxClosed) {
                inbox.add(new WorkerEnded(id, outcome, at));
            }
        }
    }

    private void killEverythingLive() {
        List<LaunchedWorker> workers = new ArrayList<>(live.values());
        workers.forEach(worker -> worker.stop(Duration.ZERO));
        for (LaunchedWorker worker : workers) {
            worker.pid().stream().mapToObj(ProcessHandle::of).flatMap(Optional::stream).forEach(process -> {
                try {
                    process.onExit().get(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    log.warn("Worker process {} did not die within 2 s of SIGKILL", process.pid());
                }
            });
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The Boss thread.

    private sealed interface Message permits Submit, Control, WorkerEnded, ReportRequest, WakeUp, TimeUp, StartedRunning, LimitHit, Cancel,
            Pause {
    }

    /** A worker that waited in a cluster's queue now runs: its timeout starts. */
    private record StartedRunning(long id, int attempt) implements Message {
    }

    /** A running worker's timeout may have come. */
    private record TimeUp(long id, int attempt) implements Message {
    }

    /** The monitor saw a running worker go over its memory limit, or stall. */
    private record LimitHit(long id, int attempt, StopCause cause, String detail) implements Message {
    }

    private record Cancel(String name, CompletableFuture<Boolean> answer) implements Message {
    }

    private record Pause(String name, boolean pause, CompletableFuture<Boolean> answer) implements Message {
    }

    private record Submit(List<Task> tasks) implements Message {
    }

    private record Control(Signal signal) implements Message {
    }

    private record WorkerEnded(long id, WorkerOutcome outcome, Instant at) implements Message {
    }

    private record ReportRequest(CompletableFuture<Report> answer) implements Message {
    }

    private enum WakeUp implements Message {
        INSTANCE
    }

    /** Why the Boss stopped a worker: decides the status it is reported with. */
    private enum StopCause {
        BOSS(WorkerStatus.KILLED, "stopped"),
        CANCEL(WorkerStatus.CANCELLED, "cancelled"),
        TIMEOUT(WorkerStatus.TIMED_OUT, "timeout"),
        STALL(WorkerStatus.TIMED_OUT, "stall"),
        MEMORY(WorkerStatus.MEMORY_EXCEEDED, "memory_limit");

        final WorkerStatus status;
        final String cause;

        StopCause(WorkerStatus status, String cause) {
            this.status = status;
            this.cause = cause;
        }
    }

    /** A running worker as the Boss thread tracks it. */
    private static final class Running {
        final RunningWorker view;
        final LaunchSpec spec;
        LaunchedWorker handle;
        StopCause stopCause;
        String stopReason;
        Duration timeout;
        Instant deadline;
        Instant pausedAt;
        long oomKillsAtStart;

        Running(RunningWorker view, LaunchSpec spec) {
            this.view = view;
            this.spec = spec;
        }
    }

    /** Posts the monitor's alarms to the inbox, so the Boss thread handles them in turn. */
    private final class MonitorAlarm implements ResourceMonitor.Alarm {
        @Override
        public void memoryExceeded(long id, int attempt, long rssMb) {
            post(new LimitHit(id, attempt, StopCause.MEMORY, rssMb + " MiB"));
        }

        @Override
        public void stalled(long id, int attempt, Duration quiet) {
            post(new LimitHit(id, attempt, StopCause.STALL, quiet.toMillis() / 1000.0 + " s"));
        }
    }

    private void post(Message message) {
        synchronized (sendLock) {
            if (!inboxClosed) {
                inbox.add(message);
            }
        }
    }

    private void runLoop() {
        try {
            while (state != State.TERMINATED) {
                handle(inbox.take());
                Message next;
                while (state != State.TERMINATED && (next = inbox.poll()) != null) {
                    handle(next);
                }
                if (state != State.TERMINATED) {
                    scheduleAndLaunch();
                    finishIfDone();
                }
            }
        } catch (InterruptedException e) {
            breakDown(new TaylorismException("the Boss thread was interrupted"));
        } catch (RuntimeException | Error e) {
            log.error("The Boss broke down; its workers are stopped", e);
            breakDown(e);
        } finally {
            List<Message> left = new ArrayList<>();
            synchronized (sendLock) {
                inboxClosed = true;
                if (refusal == null) {
                    refusal = "the Boss has terminated";
                }
                inbox.drainTo(left);
            }
            for (Message message : left) {
                if (message instanceof ReportRequest request) {
                    finalReport.whenComplete((report, error) -> {
                        if (error != null) {
                            request.answer().completeExceptionally(error);
                        } else {
                            request.answer().complete(report);
                        }
                    });
                } else if (message instanceof Cancel cancel) {
                    cancel.answer().complete(false);
                } else if (message instanceof Pause pause) {
                    pause.answer().complete(false);
                }
            }
        }
    }

    private void handle(Message message) {
        if (message instanceof Submit submit) {
            Instant now = Instant.now();
            submitted += submit.tasks().size();
            for (Task task : submit.tasks()) {
                if (task.notBefore() != null && task.notBefore().isAfter(now)) {
                    delayed.add(task);
                } else {
                    pending.put(task.id(), task);
                }
            }
            wakeUpForDelayed();
        } else if (message instanceof Control control) {
            log.debug("Signal {} received", control.signal());
            control.signal().applyTo(this);
        } else if (message instanceof WorkerEnded end) {
            onWorkerEnded(end);
        } else if (message instanceof ReportRequest request) {
            scheduleAndLaunch();
            request.answer().complete(buildReport(RunStatus.INTERIM));
        } else if (message instanceof TimeUp timeUp) {
            onTimeUp(timeUp);
        } else if (message instanceof StartedRunning started) {
            onStartedRunning(started);
        } else if (message instanceof LimitHit hit) {
            Running worker = running.get(hit.id());
            if (worker != null && worker.view.task().attempt() == hit.attempt() && worker.stopCause == null) {
                stop(worker, hit.cause(), hit.cause() == StopCause.MEMORY
                        ? "its processes used " + hit.detail() + ", more than its declared " + worker.view.task().memoryMb()
                                + " MiB x " + memoryTolerance
                        : "it wrote nothing to stdout or stderr for " + hit.detail() + " (stall_timeout "
                                + stallTimeout(worker.view.task()).toMillis() / 1000.0 + " s)");
            }
        } else if (message instanceof Cancel cancel) {
            cancel.answer().complete(onCancel(cancel.name()));
        } else if (message instanceof Pause pause) {
            try {
                pause.answer().complete(onPause(pause.name(), pause.pause()));
            } catch (RuntimeException e) {
                pause.answer().completeExceptionally(e);
            }
        }
        // WakeUp only asks for the scheduling round that follows every batch of messages.
    }

    void onHalt(boolean halt) {
        halted = halt;
    }

    void onSendReport() {
        Report report = buildReport(RunStatus.INTERIM);
        lastPublished = report;
        notifyListeners("reportPublished", listener -> listener.reportPublished(report));
    }

    void onPhase(State target) {
        if (target.ordinal() <= state.ordinal()) {
            return;
        }
        state = target;
        if (target == State.KILLING) {
            stopAllRunning("stopped by the Boss (" + (abortedBy != null ? "halt policy " + haltPolicy + " after worker " + abortedBy + " failed"
                    : abortError != null ? "the run was aborted" : "STOP_RIGHTNOW") + ")");
        }
    }

    void onStopListening() {
        if (!running.isEmpty()) {
            log.info("STOP_LISTENING: {} running workers go on unwatched until they end or the Boss is closed", running.size());
        }
        finish(pending.isEmpty() && delayed.isEmpty() ? RunStatus.FINISHED : RunStatus.PENDING,
                "never started: the Boss stopped listening (STOP_LISTENING)");
    }

    private void stopAllRunning(String reason) {
        for (Running worker : running.values()) {
            if (worker.stopCause == null) {
                stop(worker, StopCause.BOSS, reason);
            }
        }
    }

    private void stop(Running worker, StopCause cause, String reason) {
        worker.stopCause = cause;
        worker.stopReason = reason;
        log.debug("Stopping worker {}: {}", worker.view.name(), reason);
        try {
            if (worker.pausedAt != null) {
                worker.handle.resume(); // a stopped process cannot act on SIGTERM
            }
        } catch (RuntimeException e) {
            log.debug("Could not resume paused worker {} before stopping it", worker.view.name(), e);
        }
        try {
            worker.handle.stop(stopGracePeriod);
        } catch (RuntimeException e) {
            log.error("Launcher {} failed to stop worker {}", launcher.name(), worker.view.name(), e);
        }
    }

    private boolean isLocal(LaunchedWorker handle) {
        try {
            return handle.local();
        } catch (RuntimeException e) {
            log.warn("Launcher {} failed to say whether its worker runs here", launcher.name(), e);
            return false;
        }
    }

    private CompletableFuture<?> runningOf(Running worker) {
        try {
            return worker.handle.running().toCompletableFuture();
        } catch (RuntimeException e) {
            log.warn("Launcher {} failed to say when worker {} runs; its clock starts now", launcher.name(), worker.view.name(), e);
            return CompletableFuture.completedFuture(null);
        }
    }

    private void onStartedRunning(StartedRunning started) {
        Running worker = running.get(started.id());
        if (worker == null || worker.view.task().attempt() != started.attempt() || worker.timeout == null || worker.deadline != null) {
            return;
        }
        worker.deadline = Instant.now().plus(worker.timeout);
        if (worker.pausedAt == null) {
            armTimeout(worker, worker.timeout);
        }
    }

    private void onTimeUp(TimeUp timeUp) {
        Running worker = running.get(timeUp.id());
        if (worker == null || worker.view.task().attempt() != timeUp.attempt() || worker.stopCause != null
                || worker.pausedAt != null || worker.deadline == null) {
            return; // ended, retried, stopped, or paused (the clock restarts on continue)
        }
        Duration left = Duration.between(Instant.now(), worker.deadline);
        if (!left.isNegative() && !left.isZero()) {
            armTimeout(worker, left);
            return;
        }
        stop(worker, StopCause.TIMEOUT, "it ran longer than its timeout of " + worker.timeout.toMillis() / 1000.0 + " s");
    }

    private void armTimeout(Running worker, Duration delay) {
        TimeUp timeUp = new TimeUp(worker.view.task().id(), worker.view.task().attempt());
        CompletableFuture.runAsync(() -> post(timeUp),
                CompletableFuture.delayedExecutor(Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS, Runnable::run));
    }

    private boolean onCancel(String name) {
        boolean found = false;
        for (Running worker : running.values()) {
            if (worker.view.name().equals(name) && worker.stopCause == null) {
                stop(worker, StopCause.CANCEL, "cancelled by name");
                found = true;
            }
        }
        List<Task> dropped = new ArrayList<>();
        pending.values().removeIf(task -> task.name().equals(name) && dropped.add(task));
        delayed.removeIf(task -> task.name().equals(name) && dropped.add(task));
        for (Task task : dropped) {
            Instant now = Instant.now();
            recordEnd(new WorkerReport(task.name(), task.type().name(), WorkerStatus.CANCELLED, "cancelled", task.instructions(), null,
                    ErrorInfo.of("org.taylorism.WorkerCancelledException", "cancelled by name before it started"), null, null, null,
                    null, null, now, now, 0, null, null, null, null, task.attempt(), earlierAttempts.remove(task.id())));
        }
        return found || !dropped.isEmpty();
    }

    private boolean onPause(String name, boolean pause) {
        boolean found = false;
        for (Running worker : running.values()) {
            if (!worker.view.name().equals(name) || worker.stopCause != null || (worker.pausedAt != null) == pause) {
                continue;
            }
            found = true;
            long id = worker.view.task().id();
            if (pause) {
                worker.handle.pause();
                worker.pausedAt = Instant.now();
                monitor.paused(id, true);
            } else {
                worker.handle.resume();
                Duration paused = Duration.between(worker.pausedAt, Instant.now());
                worker.pausedAt = null;
                monitor.paused(id, false);
                if (worker.deadline != null) {
                    worker.deadline = worker.deadline.plus(paused);
                    armTimeout(worker, Duration.between(Instant.now(), worker.deadline));
                }
            }
        }
        return found;
    }

    private void abort(ErrorInfo error, String worker) {
        if (state == State.KILLING || state == State.TERMINATED) {
            return;
        }
        abortError = error;
        abortedBy = worker;
        onPhase(State.KILLING);
    }

    /** Last resort when the Boss thread itself failed: kill everything and still hand out a report. */
    private void breakDown(Throwable cause) {
        try {
            if (abortError == null) {
                abortError = ErrorInfo.of(cause);
            }
            killEverythingLive();
            if (!finalReport.isDone()) {
                finish(RunStatus.FAILED, "the Boss broke down");
            }
        } catch (RuntimeException | Error e) {
            e.addSuppressed(cause);
            finalReport.completeExceptionally(e);
        } finally {
            state = State.TERMINATED;
        }
    }

    private void finishIfDone() {
        boolean idle = running.isEmpty();
        switch (state) {
            case DRAINING -> {
                if (idle && pending.isEmpty() && delayed.isEmpty()) {
                    finish(RunStatus.FINISHED, null);
                } else if (idle && halted && !pending.isEmpty() && !haltedDrainWarned) {
                    haltedDrainWarned = true;
                    log.warn("END received while halted: {} pending instruction sets wait for RESUME", pending.size());
                }
            }
            case STOPPING -> {
                if (idle) {
                    finish(abortError != null ? RunStatus.FAILED
                                    : pending.isEmpty() && delayed.isEmpty() ? RunStatus.FINISHED : RunStatus.PENDING,
                            abortError != null ? "never started: the run was halted" : "never started: the run was stopped (STOP)");
                }
            }
            case KILLING -> {
                if (idle) {
                    finish(abortError != null ? RunStatus.FAILED
                                    : pending.isEmpty() && delayed.isEmpty() ? RunStatus.FINISHED : RunStatus.PENDING,
                            abortError != null ? "never started: the run was aborted" : "never started: STOP_RIGHTNOW");
                }
            }
            default -> {
                // LISTENING waits for END or a STOP; TERMINATED is final.
            }
        }
    }

    private void finish(RunStatus status, String pendingReason) {
        List<PendingTask> never = new ArrayList<>(pending.size() + delayed.size());
        for (Task task : pending.values()) {
            never.add(new PendingTask(task.name(), task.type().name(), task.instructions(), pendingReason));
        }
        for (Task task : sortedDelayed()) {
            never.add(new PendingTask(task.name(), task.type().name(), task.instructions(), pendingReason));
        }
        Report report = Report.of(status, ended, never, runningReports(), abortError, abortedBy, runDirectory);
        state = State.TERMINATED;
        synchronized (sendLock) {
            // Closed before the report is out: whoever sees the run over finds the inbox closed too.
            inboxClosed = true;
            if (refusal == null) {
                refusal = "the Boss has terminated";
            }
        }
        never.forEach(task -> notifyListeners("cancelled", listener -> listener.cancelled(task)));
        notifyListeners("runEnded", listener -> listener.runEnded(report));
        if (verbose) {
            log.info("Run {}: {}", status.jsonName(), report.counts());
        }
        finalReport.complete(report);
    }

    private Report buildReport(RunStatus status) {
        SchedulingRound view = new SchedulingRound(true);
        List<PendingTask> waiting = new ArrayList<>(pending.size() + delayed.size());
        for (Task task : pending.values()) {
            waiting.add(new PendingTask(task.name(), task.type().name(), task.instructions(), whyWaiting(task, view)));
        }
        Instant now = Instant.now();
        for (Task task : sortedDelayed()) {
            waiting.add(new PendingTask(task.name(), task.type().name(), task.instructions(),
                    NotBefore.describe(task.notBefore(), now, ZoneId.systemDefault())));
        }
        return Report.of(status, ended, waiting, runningReports(), abortError, abortedBy, runDirectory);
    }

    private List<RunningReport> runningReports() {
        List<RunningReport> reports = new ArrayList<>(running.size());
        for (Running worker : running.values()) {
            Task task = worker.view.task();
            Long peakKb = monitor.peakKb(task.id());
            reports.add(new RunningReport(task.name(), task.type().name(), worker.view.ticket(), task.attempt(),
                    worker.view.startedAt(), worker.view.cpus().isEmpty() ? null : worker.view.cpus(), nodeOf(worker),
                    peakKb == null ? null : peakKb / 1024, worker.pausedAt != null));
        }
        return reports;
    }

    private List<Task> sortedDelayed() {
        List<Task> sorted = new ArrayList<>(delayed);
        sorted.sort(delayed.comparator());
        return sorted;
    }

    private String whyWaiting(Task task, SchedulingRound view) {
        if (state.compareTo(State.STOPPING) >= 0) {
            return "not launched: " + state.name().toLowerCase(Locale.ROOT);
        }
        if (halted) {
            return "halted";
        }
        try {
            return scheduler.whyWaiting(task, view);
        } catch (RuntimeException e) {
            log.warn("Scheduler {} failed to say why {} waits", scheduler.name(), task.name(), e);
            return null;
        }
    }

    /** Moves delayed sets that are due to pending, and asks for a wake-up at the next one. */
    private void releaseDelayed() {
        Instant now = Instant.now();
        while (!delayed.isEmpty() && !delayed.peek().notBefore().isAfter(now)) {
            Task due = delayed.poll();
            pending.put(due.id(), due);
        }
        wakeUpForDelayed();
    }

    private void wakeUpForDelayed() {
        if (delayed.isEmpty()) {
            return;
        }
        Instant next = delayed.peek().notBefore();
        if (nextWakeUp == null || next.isBefore(nextWakeUp) || !nextWakeUp.isAfter(Instant.now())) {
            nextWakeUp = next;
            postWakeUpAt(next);
        }
    }

    private void postWakeUpAt(Instant when) {
        long delay = Math.max(0, Duration.between(Instant.now(), when).toMillis() + 1);
        CompletableFuture.runAsync(() -> {
            synchronized (sendLock) {
                if (!inboxClosed) {
                    inbox.add(WakeUp.INSTANCE);
                }
            }
        }, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, Runnable::run));
    }

    private void scheduleAndLaunch() {
        releaseDelayed();
        if (halted || (state != State.LISTENING && state != State.DRAINING) || pending.isEmpty()) {
            return;
        }
        SchedulingRound round = new SchedulingRound(false);
        try {
            scheduler.schedule(round);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            round.launched.values().forEach(launch -> tickets.clear(launch.ticket()));
            log.error("Scheduler {} threw; the run is aborted", scheduler.name(), e);
            abort(new ErrorInfo(e.getClass().getName(), "scheduler " + scheduler.name() + " failed: " + e.getMessage(),
                    ErrorInfo.of(e).stackTrace()), null);
            return;
        }
        round.rejected.forEach((id, reason) -> endUnlaunched(pending.remove(id), -1, "rejected",
                ErrorInfo.of("org.taylorism.UnschedulableException", "scheduler " + scheduler.name() + " rejected it: " + reason)));
        for (RunningWorker launch : round.launched.values()) {
            if (state == State.LISTENING || state == State.DRAINING) {
                pending.remove(launch.task().id());
                start(launch.task(), launch.ticket(), round.bindings.getOrDefault(launch.task().id(), List.of()));
            } else {
                // A failure earlier in this round aborted the run under fail-fast: the rest stays pending.
                tickets.clear(launch.ticket());
            }
        }
        if (!round.launched.isEmpty()) {
            try {
                launcher.flush();
            } catch (RuntimeException e) {
                log.error("Launcher {} failed to start this round's workers", launcher.name(), e);
            }
        }
    }

    private void start(Task task, int ticket, List<Integer> cpus) {
        if (closing) {
            // close() is under way: it may already have looked for workers to kill, so launch nothing more.
            tickets.clear(ticket);
            pending.put(task.id(), task);
            return;
        }
        if (runningNames.contains(task.name())) {
            tickets.clear(ticket);
            endUnlaunched(task, ticket, "name_in_use", ErrorInfo.of("org.taylorism.DuplicateWorkerNameException",
                    "worker name '" + task.name() + "' is already used by a running worker"));
            return;
        }
        Instant startedAt = Instant.now();
        LaunchSpec spec = null;
        LaunchedWorker handle;
        try {
            spec = launchSpec(task, ticket, cpus);
            handle = launcher.launch(spec, outcome -> workerEnded(task.id(), outcome));
        } catch (IOException | RuntimeException e) {
            tickets.clear(ticket);
            endUnlaunched(task, ticket, "launch_failed", new ErrorInfo(e.getClass().getName(), "could not launch worker '" + task.name()
                    + "' with launcher " + launcher.name() + ": " + e.getMessage(), ErrorInfo.of(e).stackTrace()));
            return;
        }
        Running worker = new Running(new RunningWorker(task, ticket, startedAt, cpus), spec);
        worker.handle = handle;
        worker.oomKillsAtStart = KernelCounters.recentOomKills();
        running.put(task.id(), worker);
        runningNames.add(task.name());
        live.put(task.id(), handle);
        if (endedBeforeKnown.remove(task.id())) {
            live.remove(task.id());
        }
        Duration timeout = spec.timeout();
        if (timeout != null) {
            worker.timeout = timeout;
            CompletableFuture<?> runs = runningOf(worker);
            if (runs.isDone()) {
                worker.deadline = startedAt.plus(timeout);
                armTimeout(worker, timeout);
            } else {
                // A queued cluster job: its clock starts when it runs.
                long id = task.id();
                int attempt = task.attempt();
                runs.whenComplete((ignored, error) -> post(new StartedRunning(id, attempt)));
            }
        }
        Long limitMb = memoryTolerance > 0 && task.memoryMb() != null ? Math.round(task.memoryMb() * memoryTolerance) : null;
        Duration stall = stallTimeout(task);
        CompletableFuture<?> runs = runningOf(worker);
        monitor.watch(new ResourceMonitor.Watch(task.id(), task.attempt(), handle::pid, isLocal(handle), runs::isDone, spec.stdout(),
                spec.stderr(), limitMb, stall));
        if (verbose) {
            log.info("Worker {} started.", task.name());
        } else {
            log.debug("Worker {} started.", task.name());
        }
        notifyListeners("started", listener -> listener.started(worker.view));
    }

    private Duration stallTimeout(Task task) {
        return task.stallTimeoutSeconds() != null ? Duration.ofMillis(Math.round(task.stallTimeoutSeconds() * 1000)) : defaultStallTimeout;
    }

    private static Path hsErrFile(LaunchSpec spec) {
        String stdout = spec.stdout().getFileName().toString();
        return spec.stdout().resolveSibling(stdout.substring(0, stdout.length() - ".stdout".length()) + ".hs_err.log");
    }

    private LaunchSpec launchSpec(Task task, int ticket, List<Integer> cpus) throws IOException {
        Duration timeout = task.timeoutSeconds() != null ? Duration.ofMillis(Math.round(task.timeoutSeconds() * 1000)) : defaultTimeout;
        Path directory = runDirectory();
        String base = task.id() + "-" + Names.fileSafe(task.name()) + (task.attempt() > 1 ? "." + task.attempt() : "");
        Path stdout = directory.resolve(base + ".stdout");
        Path stderr = directory.resolve(base + ".stderr");
        Integer memory = task.memoryMb();
        if (task.type().isCommand()) {
            @SuppressWarnings("unchecked")
            List<String> command = (List<String>) task.value("command");
            if (command.isEmpty()) {
                throw new IllegalArgumentException("its command is an empty list");
            }
            @SuppressWarnings("unchecked")
            Map<String, String> env = task.value("env") == null ? Map.of() : (Map<String, String>) task.value("env");
            return new LaunchSpec(task.id(), task.name(), LaunchSpec.Kind.COMMAND, command, env, (Path) task.value("cwd"),
                    stdout, stderr, null, null, task.type().javaClass().getName(), ticket, memory, cpus, null, task.instructions(),
                    timeout);
        }
        Path taskFile = directory.resolve(base + ".task.json");
        Path resultFile = directory.resolve(base + ".result.json");
        Map<String, Object> values = new LinkedHashMap<>();
        task.values().forEach((key, value) -> values.put(key, ValueConverter.toJsonValue(value)));
        if (launcher.readsTaskFiles()) {
            Json.MAPPER.writeValue(taskFile.toFile(), new TaskFile(task.type().javaClass().getName(), task.name(), ticket,
                    values, resultFile.toString(), true, task.type().fieldBindings()));
        }
        List<String> command = new ArrayList<>(javaCommand);
        if (classDataArchive != null) {
            command.addAll(1, classDataArchive.options());
        }
        if (!cpus.isEmpty()) {
            // A pinned JVM would otherwise size its GC and pools for every CPU of the machine.
            command.add(1, "-XX:ActiveProcessorCount=" + cpus.size());
        }
        // A crashing JVM writes its log beside the worker's output, where the report can point to it.
        command.add(1, "-XX:ErrorFile=" + directory.resolve(base + ".hs_err.log"));
        command.add(WorkerMain.class.getName());
        command.add(taskFile.toString());
        return new LaunchSpec(task.id(), task.name(), LaunchSpec.Kind.JAVA, command, Map.of(), null, stdout, stderr,
                taskFile, resultFile, task.type().javaClass().getName(), ticket, memory, cpus, values, task.instructions(),
                timeout);
    }

    private Path runDirectory() throws IOException {
        if (runDirectory == null) {
            if (requestedRunDirectory != null) {
                runDirectory = Files.createDirectories(requestedRunDirectory).toAbsolutePath();
            } else {
                runDirectory = Files.createTempDirectory("taylorism-run-");
            }
            log.debug("Worker output goes to {}", runDirectory);
        }
        return runDirectory;
    }

    private void onWorkerEnded(WorkerEnded end) {
        // An end reported while start() put the worker in "live" may have left its id here: the next attempt
        // of the same task must not find it.
        endedBeforeKnown.remove(end.id());
        Running worker = running.remove(end.id());
        if (worker == null) {
            return;
        }
        live.remove(end.id());
        tickets.clear(worker.view.ticket());
        runningNames.remove(worker.view.name());
        Long sampledKb = monitor.forget(end.id());
        WorkerOutcome outcome = end.outcome();
        Long peakKb = larger(sampledKb, outcome.selfPeakRssKb());
        WorkerStatus status;
        String cause = null;
        Object result = null;
        ErrorInfo error = null;
        String signal = null;
        String hsErr = null;
        boolean javaTaskReturned = outcome instanceof WorkerOutcome.Returned && worker.spec.kind() == LaunchSpec.Kind.JAVA;
        if (worker.stopCause != null && !javaTaskReturned) {
            // Stopped by us: why we stopped it decides, whatever the process made of the signal (exit 0 or 1).
            status = worker.stopCause.status;
            cause = worker.stopCause.cause;
            error = ErrorInfo.of(stopErrorType(worker.stopCause), worker.stopReason);
            if (outcome instanceof WorkerOutcome.Died died) {
                signal = died.signal();
            }
        } else if (outcome instanceof WorkerOutcome.Returned returned) {
            status = WorkerStatus.SUCCEEDED;
            result = returned.result();
        } else if (outcome instanceof WorkerOutcome.Raised raised) {
            status = WorkerStatus.FAILED;
            error = raised.error();
            cause = causeOf(error);
        } else if (outcome instanceof WorkerOutcome.ClusterEnded clusterEnded) {
            status = clusterEnded.state().status();
            cause = clusterEnded.state().cause();
            error = ErrorInfo.of("org.taylorism.ClusterEndedException", "the worker " + clusterEnded.state().description()
                    + (clusterEnded.detail() == null || clusterEnded.detail().isBlank() ? "" : ": " + clusterEnded.detail().strip()));
        } else {
            WorkerOutcome.Died died = (WorkerOutcome.Died) outcome;
            signal = died.signal();
            status = WorkerStatus.CRASHED;
            Path hsErrFile = worker.spec.kind() == LaunchSpec.Kind.JAVA ? hsErrFile(worker.spec) : null;
            if (hsErrFile != null && Files.exists(hsErrFile)) {
                cause = "jvm_crash";
                hsErr = hsErrFile.toString();
            } else if ("KILL".equals(signal) && KernelCounters.oomKills() > worker.oomKillsAtStart) {
                cause = "oom_killer";
            } else {
                cause = signal != null ? "signal" : "no_result";
            }
            error = ErrorInfo.of("org.taylorism.WorkerCrashedException", describeDeath(died, cause));
        }
        Task task = worker.view.task();
        WorkerReport report = new WorkerReport(task.name(), task.type().name(), status, cause, task.instructions(), result, error,
                outcome.exitCode(), signal, worker.view.ticket(), worker.view.cpus().isEmpty() ? null : worker.view.cpus(),
                nodeOf(worker), worker.view.startedAt(), end.at(), Duration.between(worker.view.startedAt(), end.at()).toMillis(),
                worker.spec.stdout().toString(), worker.spec.stderr().toString(), peakKb == null ? null : (peakKb + 1023) / 1024, hsErr,
                task.attempt(), null);
        if ((state == State.LISTENING || state == State.DRAINING) && retryPolicy.retries(task.attempt(), report)) {
            retry(task, report, worker);
            return;
        }
        List<AttemptReport> attempts = earlierAttempts.remove(task.id());
        recordEnd(attempts == null ? report : withAttempts(report, attempts));
    }

    /** Where the launcher placed the worker; a launcher that throws here costs the report its node, nothing more. */
    private String nodeOf(Running worker) {
        try {
            return worker.handle == null ? null : worker.handle.node();
        } catch (RuntimeException e) {
            log.warn("Launcher {} failed to say where worker {} runs", launcher.name(), worker.view.name(), e);
            return null;
        }
    }

    private static Long larger(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Long.valueOf(Math.max(a, b));
    }

    private static WorkerReport withAttempts(WorkerReport report, List<AttemptReport> attempts) {
        return new WorkerReport(report.name(), report.worker(), report.status(), report.cause(), report.instructions(), report.result(),
                report.error(), report.exitCode(), report.signal(), report.ticket(), report.cpus(), report.node(), report.startedAt(),
                report.endedAt(),
                report.durationMs(), report.stdout(), report.stderr(), report.peakRssMb(), report.hsErrFile(), report.attempt(),
                List.copyOf(attempts));
    }

    /** Puts the task back for another attempt, with more memory or time when that is what it lacked. */
    private void retry(Task task, WorkerReport failed, Running worker) {
        earlierAttempts.computeIfAbsent(task.id(), id -> new ArrayList<>()).add(new AttemptReport(task.attempt(), failed.status(),
                failed.cause(), failed.error() == null ? null : failed.error().oneLine(), failed.exitCode(), task.memoryMb(),
                worker.timeout == null ? null : worker.timeout.toMillis() / 1000.0, failed.peakRssMb(), failed.startedAt(),
                failed.durationMs(), failed.stdout(), failed.stderr()));
        Map<String, Object> values = new LinkedHashMap<>(task.values());
        if ("memory_limit".equals(failed.cause()) || "oom_killer".equals(failed.cause())) {
            long base = task.memoryMb() != null ? task.memoryMb() : failed.peakRssMb() != null ? failed.peakRssMb() : 1024;
            long raised = (long) Math.ceil(base * retryPolicy.memoryFactor());
            Long cap = schedulerMemoryCap();
            values.put("memory", (int) Math.min(Integer.MAX_VALUE, cap == null ? raised : Math.min(raised, cap)));
        }
        if ("timeout".equals(failed.cause()) && worker.timeout != null) {
            values.put("timeout", worker.timeout.toMillis() / 1000.0 * retryPolicy.timeoutFactor());
        }
        int next = task.attempt() + 1;
        Duration backoff = retryPolicy.backoffBefore(next);
        Task again = new Task(task.id(), task.name(), task.type(), task.instructions(), Collections.unmodifiableMap(values),
                Instant.now().plus(backoff), next);
        log.info("Worker {} {} ({}); attempt {} of {} in {} ms", task.name(), failed.status().jsonName(), failed.cause(), next,
                retryPolicy.maxAttempts(), backoff.toMillis());
        notifyListeners("retrying", listener -> listener.retrying(failed, backoff));
        if (backoff.isZero()) {
            pending.put(again.id(), again);
        } else {
            delayed.add(again);
            wakeUpForDelayed();
        }
    }

    private Long schedulerMemoryCap() {
        try {
            return scheduler.maxMemoryMb();
        } catch (RuntimeException e) {
            log.warn("Scheduler {} failed to say its memory budget", scheduler.name(), e);
            return null;
        }
    }

    private static String causeOf(ErrorInfo error) {
        String type = error.type() == null ? "" : error.type();
        if (type.equals(OutOfMemoryError.class.getName())) {
            return "out_of_memory_error";
        }
        if (type.equals(ResultNotSerializableException.class.getName())) {
            return "result_not_serializable";
        }
        if (type.equals("org.taylorism.UnreadableResultException")) {
            return "result_unreadable";
        }
        if (type.equals(CommandWorker.CommandFailedException.class.getName())) {
            return "exit_code";
        }
        if (type.equals("org.taylorism.LaunchFailedException")) {
            return "launch_failed";
        }
        return "exception";
    }

    private static String stopErrorType(StopCause cause) {
        return switch (cause) {
            case BOSS -> "org.taylorism.WorkerKilledException";
            case CANCEL -> "org.taylorism.WorkerCancelledException";
            case TIMEOUT, STALL -> "org.taylorism.WorkerTimedOutException";
            case MEMORY -> "org.taylorism.MemoryExceededException";
        };
    }

    private static String describeDeath(WorkerOutcome.Died died, String cause) {
        String how = died.signal() != null ? "was killed by signal " + died.signal() + " (exit code " + died.exitCode() + ")"
                : "exited with code " + died.exitCode();
        String why = switch (cause) {
            case "jvm_crash" -> "; the JVM crashed (see its hs_err file)";
            case "oom_killer" -> "; likely by the kernel's OOM killer (its oom_kill count rose meanwhile)";
            default -> "";
        };
        String tail = died.stderrTail() == null ? "" : died.stderrTail().strip();
        if (tail.isEmpty()) {
            return "the worker process " + how + " without a result" + why + "; its standard error is empty";
        }
        String lastLine = tail.substring(tail.lastIndexOf('\n') + 1);
        return "the worker process " + how + " without a result" + why + "; its standard error ends with '" + lastLine + "'\n" + tail;
    }

    private void endUnlaunched(Task task, int ticket, String cause, ErrorInfo error) {
        Instant now = Instant.now();
        List<AttemptReport> attempts = earlierAttempts.remove(task.id());
        recordEnd(new WorkerReport(task.name(), task.type().name(), WorkerStatus.FAILED, cause, task.instructions(), null, error,
                null, null, ticket < 0 ? null : ticket, null, null, now, now, 0, null, null, null, null, task.attempt(),
                attempts == null ? null : List.copyOf(attempts)));
    }

    private void recordEnd(WorkerReport report) {
        ended.add(report);
        if (verbose) {
            log.info("Worker {} {}: {}", report.name(), report.status().jsonName(), cut(report));
        } else {
            log.debug("Worker {} {}", report.name(), report.status().jsonName());
        }
        switch (report.status()) {
            case SUCCEEDED -> notifyListeners("succeeded", listener -> listener.succeeded(report));
            case KILLED, CANCELLED -> notifyListeners("stopped", listener -> listener.stopped(report));
            default -> notifyListeners("failed", listener -> listener.failed(report));
        }
        if (report.status().isFailure() && haltPolicy.halts(++failures, submitted)
                && abortError == null && (state == State.LISTENING || state == State.DRAINING)) {
            log.error("Worker {} {}: {}; halt policy {} stops the run", report.name(), report.status().jsonName(),
                    report.error() == null ? "" : report.error().oneLine(), haltPolicy);
            if (haltPolicy.when() == HaltPolicy.When.NOW) {
                abort(report.error(), report.name());
            } else {
                abortError = report.error();
                abortedBy = report.name();
                onPhase(State.STOPPING);
            }
        }
    }

    private String cut(WorkerReport report) {
        String text;
        if (report.error() != null) {
            text = report.error().oneLine();
        } else {
            try {
                text = Json.MAPPER.writeValueAsString(report.result());
            } catch (IOException e) {
                text = String.valueOf(report.result());
            }
        }
        return text.length() <= maxLenReport ? text : text.substring(0, maxLenReport) + "...";
    }

    private void notifyListeners(String event, java.util.function.Consumer<BossListener> call) {
        for (BossListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("Listener {} failed in {}; ignored", listener.getClass().getName(), event, e);
            }
        }
    }

    /** The scheduler's view of one decision; also the read-only view behind whyWaiting. */
    private final class SchedulingRound implements Scheduler.Round {

        private final boolean readOnly;
        // Keyed by task id: records compare by value, and a task's maps are not worth hashing.
        private final LinkedHashMap<Long, RunningWorker> launched = new LinkedHashMap<>();
        private final LinkedHashMap<Long, String> rejected = new LinkedHashMap<>();
        private final Map<Long, List<Integer>> bindings = new HashMap<>();

        SchedulingRound(boolean readOnly) {
            this.readOnly = readOnly;
        }

        @Override
        public Iterable<Task> pending() {
            return Collections.unmodifiableCollection(pending.values());
        }

        @Override
        public int pendingCount() {
            return pending.size();
        }

        @Override
        public Collection<RunningWorker> running() {
            return new AbstractCollection<>() {
                @Override
                public Iterator<RunningWorker> iterator() {
                    return Stream.concat(running.values().stream().map(r -> r.view), launched.values().stream()).iterator();
                }

                @Override
                public int size() {
                    return running.size() + launched.size();
                }
            };
        }

        @Override
        public int launch(Task task) {
            checkDecidable(task);
            int ticket = tickets.nextClearBit(0);
            tickets.set(ticket);
            launched.put(task.id(), new RunningWorker(task, ticket, now(), List.of()));
            return ticket;
        }

        @Override
        public void bind(Task task, List<Integer> cpus) {
            RunningWorker launch = launched.get(task.id());
            if (readOnly || launch == null) {
                throw new IllegalStateException("task " + task.name() + " was not launched in this round: it cannot be bound");
            }
            List<Integer> copy = List.copyOf(cpus);
            bindings.put(task.id(), copy);
            launched.put(task.id(), new RunningWorker(task, launch.ticket(), launch.startedAt(), copy));
        }

        @Override
        public void reject(Task task, String reason) {
            checkDecidable(task);
            rejected.put(task.id(), Objects.requireNonNull(reason, "reason"));
        }

        @Override
        public void wakeUpAt(Instant when) {
            postWakeUpAt(when);
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        private void checkDecidable(Task task) {
            if (readOnly) {
                throw new IllegalStateException("launch and reject are not allowed while explaining why a task waits");
            }
            if (!pending.containsKey(task.id())) {
                throw new IllegalStateException("task " + task.name() + " is not pending");
            }
            if (launched.containsKey(task.id()) || rejected.containsKey(task.id())) {
                throw new IllegalStateException("task " + task.name() + " was already decided in this round");
            }
        }
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

        /** What a worker's failure does to the run; default {@link FailurePolicy#FAIL_FAST}. */
        public Builder failurePolicy(FailurePolicy failurePolicy) {
            this.haltPolicy = HaltPolicy.of(Objects.requireNonNull(failurePolicy, "failurePolicy"));
            return this;
        }

        /** When failures stop the run ({@code now,fail=1} is fail-fast); default {@link HaltPolicy#FAIL_FAST}. */
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

        public Builder listener(BossListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
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

        /** Where each worker's stdout, stderr and task files go; default a new directory in the system temp dir. */
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
         * Creates the Boss and starts its thread. The Boss is halted until {@link Boss#makeThemWork()}. The
         * launcher is the Boss's, closed with it, or at once when the Boss cannot be built.
         */
        public Boss build() {
            if (launcher == null) {
                launcher = WorkerLauncher.localProcesses();
            }
            try {
                if (scheduler == null) {
                    scheduler = launcher.defaultScheduler();
                }
                return new Boss(this);
            } catch (RuntimeException | Error e) {
                // The launcher is the Boss's from here: with no Boss, nobody else would close it.
                launcher.close();
                throw e;
            }
        }
    }
}
