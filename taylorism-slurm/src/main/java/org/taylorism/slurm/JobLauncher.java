package org.taylorism.slurm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.Scheduler;
import org.taylorism.internal.child.WorkerMain;
import org.taylorism.internal.launch.Escalation;
import org.taylorism.internal.launch.LeftBehind;
import org.taylorism.internal.launch.Outcomes;
import org.taylorism.spi.ClusterState;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.LaunchedWorker;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.spi.WorkerOutcome;

/**
 * From outside an allocation (a login node): each worker is a batch job, {@code sbatch --parsable
 * --no-requeue ... SCRIPT}, whose script execs the command the local launcher would run. Slurm queues and
 * places the jobs; the Boss's scheduler only decides how many it submits at once.
 *
 * <p>Slurm has no event to wait on, so one thread ({@code taylorism-slurm-poller-N}) asks {@code squeue}
 * about every job still live, all in one call, every poll interval, and only while there is one. A job is
 * requeued by nobody but the Boss's retry policy ({@code --no-requeue}).
 *
 * <p>With {@link SlurmOptions#arraySize()} above 0, the workers launched in one scheduling decision that ask
 * for the same resources go out together as one job array ({@code sbatch --array}), each element exec'ing
 * its worker's own script, whose output it redirects to the worker's files.
 */
final class JobLauncher implements WorkerLauncher {

    private static final Logger log = LoggerFactory.getLogger(JobLauncher.class);
    private static final AtomicInteger POLLERS = new AtomicInteger();
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> RUNNING_STATES = Set.of("RUNNING", "COMPLETING", "SUSPENDED", "STOPPED", "SIGNALING");
    /** Polls a job may be missing from squeue (just submitted, a slow controller) before it counts as lost. */
    private static final int MISSES_BEFORE_LOST = 5;

    private final SlurmClient slurm;
    private final SlurmOptions options;
    private final CpusPerWorker cpusPerWorker;
    private final SlurmWatchdog watchdog;
    /** Runs what a stop asks of Slurm off the Boss's thread, and its second phase after the grace period. */
    private final Escalation escalation = new Escalation();
    private final Map<String, Job> live = new ConcurrentHashMap<>();
    /** Workers launched in this scheduling decision, waiting for {@link #flush()} to go out as job arrays. */
    private final Map<List<String>, List<Job>> unsubmitted = new LinkedHashMap<>();
    private final ScheduledExecutorService poller;
    /** squeue failures in a row, on the poller thread only: a warning every 20. */
    private int pollFailures;

    JobLauncher(SlurmClient slurm, SlurmOptions options) {
        this.slurm = slurm;
        this.options = options;
        this.cpusPerWorker = new CpusPerWorker(options.cpusAttribute());
        this.watchdog = SlurmWatchdog.start();
        String threadName = "taylorism-slurm-poller-" + POLLERS.incrementAndGet();
        this.poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        long every = options.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
        log.info("Workers run as Slurm batch jobs{}", options.partition() == null ? "" : " in partition " + options.partition());
    }

    @Override
    public String name() {
        return "slurm";
    }

    /** Slurm queues and places the jobs; the Boss keeps at most this many submitted at once. */
    @Override
    public Scheduler defaultScheduler() {
        return Scheduler.maxThreads(options.maxJobs());
    }

    @Override
    public Scheduler constrain(Scheduler scheduler) {
        return new ReadingKey(scheduler, cpusPerWorker.attribute());
    }

    @Override
    public LaunchedWorker launch(LaunchSpec spec, Consumer<WorkerOutcome> onEnd) throws IOException {
        int cpus;
        try {
            cpus = cpusPerWorker.of(spec.instructions());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        SlurmPaths.check(spec);
        boolean inArray = options.arraySize() > 0;
        Path script = WorkerCommands.beside(spec, ".sbatch");
        Files.writeString(script, script(spec, cpus, inArray));
        Job job = new Job(spec, script, onEnd);
        List<String> resources = resources(spec, cpus);
        if (inArray) {
            unsubmitted.computeIfAbsent(resources, key -> new ArrayList<>()).add(job);
            return job;
        }
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable", "--no-requeue", "--job-name=" + spec.name(),
                "--output=" + spec.stdout(), "--error=" + spec.stderr()));
        command.addAll(resources);
        command.addAll(options.sbatchArguments());
        command.add(script.toString());
        String jobId;
        try {
            jobId = submit(command);
        } catch (IOException e) {
            Outcomes.deleteQuietly(script);
            throw new IOException("sbatch did not take worker '" + spec.name() + "': " + e.getMessage(), e);
        }
        job.submitted(jobId, jobId, null);
        log.debug("Worker {} is Slurm job {}", spec.name(), jobId);
        return job;
    }

    /** What the worker asks of Slurm; workers that ask the same can share a job array. */
    private List<String> resources(LaunchSpec spec, int cpus) {
        List<String> resources = new ArrayList<>(List.of("--nodes=1", "--ntasks=1", "--cpus-per-task=" + cpus));
        if (spec.memoryMb() != null) {
            resources.add("--mem=" + spec.memoryMb() + "M");
        }
        String time = WorkerCommands.timeLimit(spec, options.timeLimit());
        if (time != null) {
            resources.add("--time=" + time);
        }
        if (options.partition() != null) {
            resources.add("--partition=" + options.partition());
        }
        if (options.account() != null) {
            resources.add("--account=" + options.account());
        }
        if (options.qos() != null) {
            resources.add("--qos=" + options.qos());
        }
        return resources;
    }

    /** Runs sbatch and returns the job id it printed. */
    private String submit(List<String> command) throws IOException {
        String answer;
        try {
            answer = slurm.run(command).strip();
        } catch (SlurmClient.SlurmCommandException e) {
            throw new IOException(e.getMessage(), e);
        }
        String jobId = answer.contains(";") ? answer.substring(0, answer.indexOf(';')) : answer;
        if (!jobId.matches("[0-9]+")) {
            throw new IOException("sbatch answered '" + answer + "', not a job id");
        }
        return jobId;
    }

    /** Submits the workers launched since the last call as job arrays, one per set of alike requests. */
    @Override
    public void flush() {
        if (unsubmitted.isEmpty()) {
            return;
        }
        Map<List<String>, List<Job>> batches = new LinkedHashMap<>(unsubmitted);
        unsubmitted.clear();
        batches.forEach((resources, jobs) -> {
            List<Job> waiting = jobs.stream().filter(job -> !job.ended).toList();
            for (int from = 0; from < waiting.size(); from += options.arraySize()) {
                List<Job> array = waiting.subList(from, Math.min(waiting.size(), from + options.arraySize()));
                try {
                    submitArray(resources, array);
                } catch (RuntimeException e) {
                    // Every worker launched must end: these never started.
                    array.forEach(job -> job.end(Outcomes.launchFailed(job.spec, "could not submit its job array: " + e)));
                }
            }
        });
    }

    private void submitArray(List<String> resources, List<Job> jobs) {
        LaunchSpec first = jobs.get(0).spec;
        Path driver = WorkerCommands.beside(first, ".array.sbatch");
        Path slurmLog = first.stdout().resolveSibling(driver.getFileName().toString().replace(".array.sbatch", ".array_%a.slurm.log"));
        StringBuilder text = new StringBuilder("#!/bin/sh\n# taylorism job array: element N runs the script of the N-th worker\n")
                .append("case \"$SLURM_ARRAY_TASK_ID\" in\n");
        for (int i = 0; i < jobs.size(); i++) {
            text.append(i).append(") exec /bin/sh ").append(quoted(jobs.get(i).script.toString())).append(" ;;\n");
        }
        text.append("esac\necho \"taylorism: no worker for array element $SLURM_ARRAY_TASK_ID\" >&2\nexit 2\n");
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable", "--no-requeue", "--job-name=" + first.name()
                + (jobs.size() > 1 ? "+" + (jobs.size() - 1) : ""), "--array=0-" + (jobs.size() - 1), "--output=" + slurmLog));
        command.addAll(resources);
        command.addAll(options.sbatchArguments());
        command.add(driver.toString());
        String arrayId;
        try {
            Files.writeString(driver, text);
            arrayId = submit(command);
        } catch (IOException e) {
            Outcomes.deleteQuietly(driver);
            String why = "sbatch did not take the job array of workers " + jobs.stream().map(job -> job.spec.name()).toList() + ": "
                    + e.getMessage();
            jobs.forEach(job -> job.end(Outcomes.launchFailed(job.spec, why)));
            return;
        }
        Array array = new Array(driver, slurmLog, jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            jobs.get(i).submitted(arrayId + "_" + i, arrayId, array);
        }
        log.debug("Workers {} are Slurm job array {}", jobs.stream().map(job -> job.spec.name()).toList(), arrayId);
    }

    /** A submitted job array: its driver script goes when its last element ends. */
    private static final class Array {
        private final Path driver;
        private final Path slurmLogs;
        private final int size;
        private final AtomicInteger remaining;

        Array(Path driver, Path slurmLogs, int size) {
            this.driver = driver;
            this.slurmLogs = slurmLogs;
            this.size = size;
            this.remaining = new AtomicInteger(size);
        }

        /** When the last element ends, the driver goes, and so do the elements' Slurm logs that stayed empty. */
        void elementEnded() {
            if (remaining.decrementAndGet() == 0) {
                Outcomes.deleteQuietly(driver);
                for (int i = 0; i < size; i++) {
                    Path log = slurmLogs.resolveSibling(slurmLogs.getFileName().toString().replace("%a", String.valueOf(i)));
                    try {
                        if (Files.size(log) == 0) {
                            Files.delete(log);
                        }
                    } catch (IOException ignored) {
                        // absent, or not ours to judge
                    }
                }
            }
        }
    }

    /** A shell script that execs the worker's command with its extra environment (and its output files, in an array). */
    private static String script(LaunchSpec spec, int cpus, boolean redirect) throws IOException {
        StringBuilder text = new StringBuilder("#!/bin/sh\n# taylorism worker ").append(spec.name().replace('\n', ' ')).append('\n');
        text.append("export ").append(WorkerMain.WATCH_STDIN_VARIABLE).append("=0\n");
        for (Map.Entry<String, String> variable : spec.environment().entrySet()) {
            if (!VARIABLE.matcher(variable.getKey()).matches()) {
                throw new IOException("environment variable name '" + variable.getKey() + "' of worker '" + spec.name()
                        + "' cannot be exported to a Slurm job");
            }
            text.append("export ").append(variable.getKey()).append('=').append(quoted(variable.getValue())).append('\n');
        }
        if (spec.directory() != null) {
            text.append("cd ").append(quoted(spec.directory().toString())).append(" || exit 126\n");
        }
        text.append("exec ").append(WorkerCommands.onNode(spec, cpus).stream().map(JobLauncher::quoted)
                .collect(Collectors.joining(" ")));
        if (redirect) {
            text.append(" >").append(quoted(spec.stdout().toString())).append(" 2>").append(quoted(spec.stderr().toString()));
        }
        return text.append('\n').toString();
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** One squeue for every live job; each job that reached a final state ends. */
    private void poll() {
        try {
            pollOnce();
        } catch (Throwable e) {
            // Anything thrown out of here would cancel the periodic poll, and no job would ever end.
            log.error("Polling Slurm failed; trying again at the next poll", e);
        }
    }

    private void pollOnce() {
        if (live.isEmpty()) {
            return;
        }
        List<Job> jobs = new ArrayList<>(live.values());
        Set<String> queried = new LinkedHashSet<>();
        jobs.forEach(job -> queried.add(job.queryId));
        Set<String> seen = new HashSet<>();
        try {
            String listing = slurm.run(List.of("squeue", "--noheader", "--states=all", "--array", "--jobs=" + String.join(",", queried),
                    "--Format=JobID:|,ArrayJobID:|,ArrayTaskID:|,State:|,NodeList:|,Reason:|,exit_code:|"));
            pollFailures = 0;
            for (String line : listing.lines().toList()) {
                String[] fields = line.split("\\|", -1);
                if (fields.length < 7) {
                    continue;
                }
                String element = fields[2].strip();
                String id = element.matches("[0-9]+") ? fields[1].strip() + "_" + element : fields[0].strip();
                Job job = live.get(id);
                if (job != null) {
                    seen.add(id);
                    job.update(fields[3].strip(), fields[4].strip(), fields[5].strip(), fields[6].strip());
                }
            }
        } catch (SlurmClient.SlurmCommandException e) {
            if (!e.getMessage().contains("Invalid job id")) {
                if (pollFailures++ % 20 == 0) {
                    log.warn("Cannot ask Slurm about the workers' jobs: {}", e.getMessage());
                }
                return;
            }
        }
        for (Job job : jobs) {
            if (!job.ended && !seen.contains(job.jobId) && ++job.misses >= MISSES_BEFORE_LOST) {
                job.end(WorkerCommands.outcome(job.spec, -1, ClusterState.LOST, "Slurm job " + job.jobId + " is no longer in squeue"));
            }
        }
    }

    /**
     * What a dead Boss left for the run: its batch jobs are cancelled and waited for ({@link LeftJobs}), and any
     * process of it on this machine too ({@link LeftBehind}).
     */
    @Override
    public List<String> stopLeftBehind(Path runDirectory) throws IOException {
        // Jobs first: a cancelled job's processes may outlive its leaving squeue for a moment, and where they run on
        // this machine (a one-machine cluster), the scan that follows stops them and waits for them.
        List<String> stopped = new ArrayList<>(LeftJobs.cancel(slurm, runDirectory, options.pollInterval()));
        stopped.addAll(LeftBehind.stop(runDirectory));
        return stopped;
    }

    @Override
    public void close() {
        poller.shutdownNow();
        if (!live.isEmpty()) {
            // The Boss stopped its workers before closing; any job still here is cancelled.
            List<String> ids = new ArrayList<>(live.keySet());
            log.info("Cancelling Slurm jobs {} still live at close", ids);
            try {
                List<String> command = new ArrayList<>(List.of("scancel", "--quiet"));
                command.addAll(ids);
                slurm.run(command);
            } catch (SlurmClient.SlurmCommandException e) {
                log.warn("Could not cancel Slurm jobs {}: {}", ids, e.getMessage());
            }
            // Nobody polls any more: their ends are told now.
            for (Job job : new ArrayList<>(live.values())) {
                job.end(new WorkerOutcome.ClusterEnded(ClusterState.CANCELLED, null, "Slurm job " + job.jobId
                        + " was cancelled when its launcher closed"));
            }
        }
        if (watchdog != null) {
            watchdog.close();
        }
        escalation.close();
        slurm.close();
    }

    /** One submitted worker. */
    private final class Job implements LaunchedWorker {
        private final LaunchSpec spec;
        private final Path script;
        private final Consumer<WorkerOutcome> onEnd;
        /** Slurm's id ({@code 12}, or {@code 12_3} for an array element); null until submitted. */
        private volatile String jobId;
        /** The id squeue is asked about: the job's, or its array's. */
        private volatile String queryId;
        private Array array;
        private volatile String node;
        private volatile boolean started;
        private int misses;
        private volatile boolean ended;
        /** Completes when squeue first shows it running (or when it ends without having been seen to). */
        private final CompletableFuture<Void> runs = new CompletableFuture<>();

        Job(LaunchSpec spec, Path script, Consumer<WorkerOutcome> onEnd) {
            this.spec = spec;
            this.script = script;
            this.onEnd = onEnd;
        }

        void submitted(String jobId, String queryId, Array array) {
            this.jobId = jobId;
            this.queryId = queryId;
            this.array = array;
            live.put(jobId, this);
            if (watchdog != null) {
                watchdog.watchJob(jobId);
            }
        }

        /** What squeue says of the job now: its state, node list, reason and raw wait status. */
        void update(String state, String nodes, String reason, String waitStatus) {
            misses = 0;
            if (!nodes.isEmpty() && !nodes.equals("(null)")) {
                node = nodes;
            }
            if (RUNNING_STATES.contains(state)) {
                started = true;
                runs.complete(null);
                return;
            }
            int exitCode = exitCode(waitStatus);
            switch (state) {
                case "PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING" -> {
                    // not over yet
                }
                case "FAILED" -> {
                    if (reason.equals("JobLaunchFailure")) {
                        // Slurm could not start it (the run directory missing on the node, a bad --chdir...)
                        end(Outcomes.launchFailed(spec, "Slurm could not launch job " + jobId + (node == null ? "" : " on " + node)
                                + " (JobLaunchFailure): is the run directory " + spec.stdout().getParent()
                                + " on a file system the nodes share?"));
                    } else {
                        end(WorkerCommands.outcome(spec, exitCode, null, null));
                    }
                }
                case "COMPLETED" -> end(WorkerCommands.outcome(spec, exitCode, null, null));
                default -> {
                    ClusterState cluster = clusterState(state);
                    String stepSaid = SlurmMessages.slurmLines(Outcomes.stderrTail(spec.stderr()));
                    end(WorkerCommands.outcome(spec, exitCode, cluster, "Slurm job " + jobId + " ended " + state
                            + (reason.isEmpty() || reason.equals("None") ? "" : " (" + reason + ")")
                            + (node == null ? "" : " on " + node) + (stepSaid.isEmpty() ? "" : "\n" + stepSaid)));
                }
            }
        }

        private ClusterState clusterState(String state) {
            return switch (state) {
                case "TIMEOUT" -> ClusterState.TIMEOUT;
                case "DEADLINE" -> ClusterState.DEADLINE;
                case "OUT_OF_MEMORY" -> ClusterState.OUT_OF_MEMORY;
                case "NODE_FAIL" -> ClusterState.NODE_FAIL;
                case "BOOT_FAIL" -> ClusterState.BOOT_FAIL;
                case "PREEMPTED" -> ClusterState.PREEMPTED;
                case "CANCELLED" -> ClusterState.CANCELLED;
                default -> ClusterState.LOST;
            };
        }

        /** A shell's exit code from a wait status: the code, or 128 + the signal that ended it. */
        private int exitCode(String waitStatus) {
            try {
                int status = Integer.parseInt(waitStatus);
                int signal = status & 0x7f;
                return signal != 0 ? 128 + signal : (status >> 8) & 0xff;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        void end(WorkerOutcome outcome) {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
            }
            if (jobId != null) {
                live.remove(jobId);
                if (watchdog != null) {
                    watchdog.forgetJob(jobId);
                }
            }
            if (array != null) {
                array.elementEnded();
            }
            Outcomes.deleteQuietly(script);
            runs.complete(null);
            onEnd.accept(outcome);
        }

        @Override
        public OptionalLong pid() {
            return OptionalLong.empty();
        }

        @Override
        public CompletionStage<?> running() {
            return runs;
        }

        @Override
        public String node() {
            return node;
        }

        /** It runs on a cluster node: its memory is Slurm's to watch ({@code --mem}), not sampled here. */
        @Override
        public boolean local() {
            return false;
        }

        @Override
        public void stop(Duration grace) {
            if (jobId == null) {
                // not submitted yet (an array waiting for the end of its round): it never will be
                end(new WorkerOutcome.Died(null, null, ""));
                return;
            }
            // scancel is a command: not on the Boss's thread.
            escalation.now(() -> {
                if (grace.isZero() || grace.isNegative() || !started || !cancel("TERM")) {
                    cancel(null);
                    return;
                }
                escalation.after(grace, () -> {
                    if (live.containsKey(jobId)) {
                        cancel(null);
                    }
                });
            });
        }

        @Override
        public void pause() {
            if (!cancel("STOP")) {
                throw new IllegalStateException("could not pause Slurm job " + jobId + " of worker " + spec.name());
            }
        }

        @Override
        public void resume() {
            if (!cancel("CONT")) {
                throw new IllegalStateException("could not resume Slurm job " + jobId + " of worker " + spec.name());
            }
        }

        /** scancel the job, or with {@code signal}, signal its batch script and steps; false when Slurm refused. */
        private boolean cancel(String signal) {
            if (jobId == null) {
                return false;
            }
            List<String> command = new ArrayList<>(List.of("scancel", "--quiet"));
            if (signal != null) {
                command.add("--full");
                command.add("--signal=" + signal);
            }
            command.add(jobId);
            try {
                slurm.run(command);
                return true;
            } catch (SlurmClient.SlurmCommandException e) {
                log.warn("Could not {} Slurm job {} of worker {}: {}", signal == null ? "cancel" : "signal " + signal, jobId,
                        spec.name(), e.getMessage());
                return false;
            }
        }
    }
}
