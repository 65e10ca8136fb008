package org.taylorism.slurm;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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
 * Inside an allocation: each worker is a job step, {@code srun --exact -n1 -N1 -c CPUS -w NODE ... -- COMMAND},
 * placed by {@link StepPlacement} on a node with room for it. The step's output goes straight to the
 * worker's files on the shared file system; srun's own messages go to a {@code .srun.log} beside them, and
 * are what tells a time limit or a node failure from the worker's own exit.
 *
 * <p>One srun process per running worker, each watched through {@code onExit} (no thread of its own).
 * Stopping asks Slurm to signal the step's tasks (SIGTERM) and, after the grace period, ends srun, which
 * makes Slurm kill what is left of the step.
 */
final class StepLauncher implements WorkerLauncher {

    private static final Logger log = LoggerFactory.getLogger(StepLauncher.class);
    private static final File NULL_DEVICE = new File("/dev/null");

    private final SlurmClient slurm;
    private final SlurmOptions options;
    private final Allocation allocation;
    private final CpusPerWorker cpusPerWorker;
    private final SlurmWatchdog watchdog;
    /** Runs what a stop asks of Slurm off the Boss's thread, and its second phase after the grace period. */
    private final Escalation escalation = new Escalation();
    /** Numbers every launch: part of each step's name. */
    private final AtomicLong launches = new AtomicLong();
    private final Set<Step> live = ConcurrentHashMap.newKeySet();
    private StepPlacement placement;

    StepLauncher(SlurmClient slurm, SlurmOptions options, Allocation allocation) {
        this.slurm = slurm;
        this.options = options;
        this.allocation = allocation;
        this.cpusPerWorker = new CpusPerWorker(options.cpusAttribute());
        this.watchdog = SlurmWatchdog.start();
        log.info("Workers run as job steps of Slurm allocation {}, {} CPUs free: {}", allocation.jobId(), allocation.totalCpus(),
                allocation.nodes());
    }

    @Override
    public String name() {
        return "slurm";
    }

    @Override
    public Scheduler defaultScheduler() {
        return new AllocationDecides();
    }

    @Override
    public Scheduler constrain(Scheduler scheduler) {
        placement = new StepPlacement(scheduler, allocation, cpusPerWorker);
        return placement;
    }

    @Override
    public LaunchedWorker launch(LaunchSpec spec, Consumer<WorkerOutcome> onEnd) throws IOException {
        StepPlacement.Place place = placement == null ? null : placement.placeOf(spec.ticket());
        int cpus;
        try {
            cpus = place != null ? place.cpus() : cpusPerWorker.of(spec.instructions());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        SlurmPaths.check(spec);
        String stepName = stepName(spec);
        Path srunLog = WorkerCommands.beside(spec, ".srun.log");
        List<String> command = new ArrayList<>(List.of("srun", "--jobid=" + allocation.jobId(), "--exact", "--nodes=1", "--ntasks=1",
                "--cpus-per-task=" + cpus, "--job-name=" + stepName, "--input=none", "--output=" + spec.stdout(),
                "--error=" + spec.stderr(), "--kill-on-bad-exit=1"));
        if (place != null) {
            command.add("--nodelist=" + place.node());
        }
        if (spec.memoryMb() != null) {
            command.add("--mem=" + spec.memoryMb() + "M");
        }
        String time = WorkerCommands.timeLimit(spec, options.timeLimit());
        if (time != null) {
            command.add("--time=" + time);
        }
        if (spec.directory() != null) {
            command.add("--chdir=" + spec.directory());
        }
        command.addAll(options.srunArguments());
        command.add("--");
        command.addAll(WorkerCommands.onNode(spec, cpus));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(Redirect.from(NULL_DEVICE))
                .redirectOutput(Redirect.to(srunLog.toFile()))
                .redirectErrorStream(true);
        builder.environment().putAll(spec.environment());
        // The allocation's own variables would make srun inherit the Boss's step options instead of ours.
        builder.environment().keySet().removeIf(key -> key.startsWith("SLURM_") && !key.equals("SLURM_CONF"));
        builder.environment().put(WorkerMain.WATCH_STDIN_VARIABLE, "0");
        Process srun;
        try {
            srun = builder.start();
        } catch (IOException e) {
            throw new IOException("could not start srun for " + spec.command() + ": " + e.getMessage(), e);
        }
        Step step = new Step(spec, stepName, srun, place == null ? null : place.node());
        live.add(step);
        if (watchdog != null) {
            watchdog.watchSrun(srun.pid());
        }
        // Async: an srun that failed at once must not report its end from within this launch().
        srun.onExit().whenCompleteAsync((exited, error) -> {
            live.remove(step);
            if (watchdog != null) {
                watchdog.forgetSrun(srun.pid());
            }
            onEnd.accept(outcome(spec, srun.exitValue(), srunLog));
        });
        return step;
    }

    private static WorkerOutcome outcome(LaunchSpec spec, int exitCode, Path srunLog) {
        String srunSaid = WorkerCommands.read(srunLog);
        String stepSaid = SlurmMessages.slurmLines(Outcomes.stderrTail(spec.stderr()));
        String slurmSaid = (SlurmMessages.slurmLines(srunSaid) + "\n" + stepSaid).strip();
        ClusterState state = SlurmMessages.clusterState(slurmSaid);
        if (srunSaid.isBlank()) {
            Outcomes.deleteQuietly(srunLog);
        }
        // slurmstepd creates the task's error file when it starts the task: without one, the step never ran.
        if (state == null && exitCode != 0 && !Files.exists(spec.stderr())) {
            return Outcomes.launchFailed(spec, "srun could not start the step (exit code " + exitCode + "): "
                    + (srunSaid.isBlank() ? "it said nothing" : srunSaid.strip().replace('\n', ' ')));
        }
        return WorkerCommands.outcome(spec, exitCode, state, slurmSaid);
    }

    /**
     * A step name no other step of the allocation has, with the worker's name in it: several Bosses may share the
     * allocation, and a retried worker's earlier step may still be listed.
     */
    private String stepName(LaunchSpec spec) {
        return spec.name() + "@taylorism-" + ProcessHandle.current().pid() + "-" + launches.incrementAndGet();
    }

    /**
     * What a dead Boss left for the run: its srun processes on this machine, whose standard error is a log in the
     * run's directory, are stopped ({@link LeftBehind}); srun then ends its step.
     */
    @Override
    public List<String> stopLeftBehind(Path runDirectory) throws IOException {
        return LeftBehind.stop(runDirectory);
    }

    @Override
    public void close() {
        // The Boss stopped its workers before; whatever srun is still here is ended now, and waited for.
        for (Step step : live) {
            step.srun.destroy();
        }
        for (Step step : live) {
            try {
                if (!step.srun.waitFor(10, TimeUnit.SECONDS)) {
                    step.srun.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (watchdog != null) {
            watchdog.close();
        }
        escalation.close();
        slurm.close();
    }

    /** One running step, known to Slurm by its allocation and name. */
    private final class Step implements LaunchedWorker {
        private final LaunchSpec spec;
        private final String name;
        private final Process srun;
        private final String node;
        private volatile String stepId;

        Step(LaunchSpec spec, String name, Process srun, String node) {
            this.spec = spec;
            this.name = name;
            this.srun = srun;
            this.node = node;
        }

        @Override
        public OptionalLong pid() {
            return OptionalLong.of(srun.pid());
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
            if (!srun.isAlive()) {
                return;
            }
            if (grace.isZero() || grace.isNegative()) {
                end();
                return;
            }
            // Asking Slurm takes a command or two: not on the Boss's thread.
            escalation.now(() -> {
                if (!signal("TERM")) {
                    end();
                    return;
                }
                escalation.after(grace, this::end);
            });
        }

        /** Ends srun, which makes Slurm end the step; then makes sure of both. */
        private void end() {
            if (!srun.isAlive()) {
                return;
            }
            srun.destroy();
            escalation.after(Duration.ofSeconds(5), () -> {
                if (srun.isAlive()) {
                    String id = stepId();
                    if (id != null) {
                        cancel(id, null);
                    }
                    srun.destroyForcibly();
                }
            });
        }

        @Override
        public void pause() {
            if (!signal("STOP")) {
                throw new IllegalStateException("cannot find the Slurm step of worker " + spec.name() + " to pause it");
            }
        }

        @Override
        public void resume() {
            if (!signal("CONT")) {
                throw new IllegalStateException("cannot find the Slurm step of worker " + spec.name() + " to resume it");
            }
        }

        /** Sends {@code signal} to the step's tasks through Slurm; false when the step is not (or no longer) there. */
        private boolean signal(String signal) {
            String id = stepId();
            return id != null && cancel(id, signal);
        }

        private boolean cancel(String id, String signal) {
            List<String> command = new ArrayList<>(List.of("scancel", "--quiet"));
            if (signal != null) {
                command.add("--signal=" + signal);
            }
            command.add(id);
            try {
                slurm.run(command);
                return true;
            } catch (SlurmClient.SlurmCommandException e) {
                log.warn("Could not signal Slurm step {} of worker {}: {}", id, spec.name(), e.getMessage());
                return false;
            }
        }

        /** The step's id ({@code 12.3}), looked up by its name among the allocation's steps the first time. */
        private String stepId() {
            if (stepId == null) {
                try {
                    String listing = slurm.run(List.of("squeue", "--steps", "--noheader", "--jobs=" + allocation.jobId(), "--format=%i %j"));
                    for (String line : listing.lines().toList()) {
                        int space = line.indexOf(' ');
                        // Only numbered steps: never the allocation's batch script or extern step.
                        if (space > 0 && line.substring(0, space).matches("[0-9]+\\.[0-9]+") && line.substring(space + 1).equals(name)) {
                            stepId = line.substring(0, space);
                        }
                    }
                } catch (SlurmClient.SlurmCommandException e) {
                    log.warn("Could not list the steps of Slurm allocation {}: {}", allocation.jobId(), e.getMessage());
                }
            }
            return stepId;
        }
    }
}
