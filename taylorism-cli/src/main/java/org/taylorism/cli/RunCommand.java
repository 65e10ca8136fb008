package org.taylorism.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.taylorism.Boss;
import org.taylorism.FailurePolicy;
import org.taylorism.Report;
import org.taylorism.RunFailedException;
import org.taylorism.Signal;
import org.taylorism.WorkerReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code taylorism run BATCH}: runs a batch and writes its JSON report. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        sortOptions = false,
        description = {"Runs every instruction set of BATCH as a worker in its own process and writes the JSON report"
                + " (stdout, or --report FILE). Progress and the summary go to stderr.",
                "Ctrl-C once: launch nothing more, let running workers finish; twice: kill them. The report is written either way."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:every worker succeeded",
                "1:internal error",
                "2:bad input or usage",
                "3:some workers failed, crashed or were killed, or sets never ran",
                "130:interrupted (Ctrl-C or SIGTERM)"})
final class RunCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private BatchOptions batch;

    @Mixin
    private SchedulingOptions scheduling;

    @Mixin
    private WorkerOptions workers;

    @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "fail-fast", converter = PolicyConverter.class,
            description = "fail-fast: stop everything at the first failure; keep-going: run everything (default: ${DEFAULT-VALUE}).")
    private FailurePolicy policy;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON report to FILE instead of standard output.")
    private Path reportFile;

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Directory for each worker's stdout and stderr files (default: a new directory in the system temp dir).")
    private Path workdir;

    @Option(names = "--no-progress", description = "No progress display (the summary is still printed).")
    private boolean noProgress;

    @Mixin
    private LoggingOptions logging;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<Map<String, Object>> sets = batch.read(System.in);
        Boss.Builder builder = Boss.builder()
                .scheduler(scheduling.scheduler(workers.loader()))
                .failurePolicy(policy)
                .verbose(logging.verbosity > 0)
                .registry(workers.registry())
                .classpath(workers.workerClasspath());
        if (workdir != null) {
            builder.runDirectory(workdir);
        }
        boolean terminal = Terminal.stderrIsTerminal();
        ProgressView.Mode mode = logging.quiet || noProgress ? ProgressView.Mode.NONE
                : terminal ? ProgressView.Mode.REDRAWN : ProgressView.Mode.LINES;
        long start = System.nanoTime();
        Report report;
        boolean interrupted;
        try (ProgressView progress = new ProgressView(err, mode, Terminal.colours(terminal), sets.size());
             Boss boss = builder.listener(progress).build();
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
            boss.addInstructions(sets);
            boss.makeThemWork();
            try {
                report = boss.waitTillFinished();
            } catch (RunFailedException e) {
                report = e.report();
            }
            interrupted = interrupts.happened();
        }
        writeReport(report);
        if (!logging.quiet) {
            printSummary(report, err, System.nanoTime() - start, interrupted);
        }
        if (interrupted) {
            return TaylorismCommand.INTERRUPTED;
        }
        return report.isSuccess() ? CommandLine.ExitCode.OK : TaylorismCommand.SOME_WORKERS_FAILED;
    }

    private void writeReport(Report report) {
        if (reportFile == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(report.toJson());
            out.flush();
        } else {
            report.writeJson(reportFile);
        }
    }

    private void printSummary(Report report, PrintWriter err, long nanos, boolean interrupted) {
        StringBuilder summary = new StringBuilder("taylorism: run ").append(report.status().jsonName())
                .append(interrupted ? " (interrupted)" : "")
                .append(" in ").append(ProgressView.format(java.time.Duration.ofNanos(nanos))).append(':');
        report.counts().forEach((status, count) -> {
            if (count > 0) {
                summary.append(' ').append(count).append(' ').append(status).append(',');
            }
        });
        if (summary.charAt(summary.length() - 1) == ',') {
            summary.setLength(summary.length() - 1);
        } else {
            summary.append(" nothing to do");
        }
        err.println(summary);
        if (report.error() != null && report.failedWorker() == null) {
            err.println("  aborted: " + report.error().oneLine());
        }
        List<WorkerReport> slowest = report.workers().stream()
                .filter(w -> w.stdout() != null)
                .sorted(Comparator.comparingLong(WorkerReport::durationMs).reversed()).limit(3).toList();
        if (slowest.size() > 1) {
            err.println("  slowest: " + String.join(", ", slowest.stream()
                    .map(w -> w.name() + String.format(Locale.ROOT, " (%.1f s)", w.durationMs() / 1000.0)).toList()));
        }
        for (WorkerReport failure : report.failures()) {
            err.println("  " + failure.status().jsonName() + ": " + failure.name()
                    + (failure.error() == null ? "" : ": " + failure.error().oneLine())
                    + (failure.stderr() == null ? "" : " (stderr: " + failure.stderr() + ")"));
        }
        if (!report.pending().isEmpty()) {
            err.println("  never started: " + report.pending().size() + " sets, listed in the report's \"pending\"");
        }
        if (report.runDirectory() != null) {
            err.println("  worker output: " + report.runDirectory());
        }
        if (reportFile != null) {
            err.println("  report: " + reportFile);
        }
        err.flush();
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
