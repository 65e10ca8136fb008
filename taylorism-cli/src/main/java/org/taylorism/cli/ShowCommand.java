package org.taylorism.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.taylorism.PendingTask;
import org.taylorism.Report;
import org.taylorism.RunningReport;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.store.JdbcRunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code taylorism show RUN_ID}: a run's report, rebuilt from the store. */
@Command(name = "show",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        description = {"Shows a run's report, rebuilt from the run store: the report its run wrote, or for a run that goes on or"
                + " was interrupted, what it had come to."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown", "1:internal error", "2:bad usage (an unknown status)",
                "5:the run store cannot be read, or has no such run"})
final class ShowCommand implements Callable<Integer> {

    private static final Set<String> STATUSES = Set.of("succeeded", "failed", "crashed", "killed", "cancelled", "timed_out",
            "memory_exceeded", "pending", "running");

    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreOptions store;

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run: its id, or the start of it (taylorism runs lists them).")
    private String runId;

    @Option(names = "--status", paramLabel = "STATUS", split = ",",
            description = "Only the sets with these statuses: succeeded, failed, crashed, killed, cancelled, timed_out,"
                    + " memory_exceeded, pending, running.")
    private List<String> statuses = new ArrayList<>();

    @Option(names = "--json", description = "Write the report as JSON.")
    private boolean json;

    @Override
    public Integer call() throws IOException {
        for (String status : statuses) {
            if (!STATUSES.contains(status)) {
                throw new BadInputException("--status '" + status + "' is not one of " + STATUSES.stream().sorted().toList());
            }
        }
        Report report;
        try (JdbcRunStore opened = store.open()) {
            report = filtered(opened.report(runId));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(report.toJson());
        } else {
            print(report, out);
        }
        out.flush();
        return CommandLine.ExitCode.OK;
    }

    private Report filtered(Report report) {
        if (statuses.isEmpty()) {
            return report;
        }
        List<WorkerReport> workers = report.workers().stream().filter(worker -> statuses.contains(worker.status().jsonName())).toList();
        List<PendingTask> pending = statuses.contains("pending") ? report.pending() : List.of();
        List<RunningReport> running = statuses.contains("running") ? report.running() : List.of();
        return new Report(report.schemaVersion(), report.status(), report.counts(), workers, pending, running, report.error(),
                report.failedWorker(), report.runDirectory(), report.runId(), report.notHeld());
    }

    private static void print(Report report, PrintWriter out) {
        out.println("run " + report.runId() + ": " + report.status().jsonName() + "; " + report.counts().entrySet().stream()
                .filter(count -> count.getValue() > 0).map(count -> count.getValue() + " " + count.getKey()).collect(Collectors.joining(", ")));
        if (report.error() != null) {
            out.println("  aborted: " + report.error().oneLine());
        }
        for (WorkerReport worker : report.workers()) {
            out.println(String.format(Locale.ROOT, "  %-15s %s%s", worker.status().jsonName(), worker.name(),
                    worker.status() == WorkerStatus.SUCCEEDED ? "" : " (" + worker.cause() + ")"
                            + (worker.error() == null ? "" : ": " + worker.error().oneLine())));
        }
        for (RunningReport running : report.running()) {
            out.println(String.format(Locale.ROOT, "  %-15s %s (attempt %d, since %s)", "running", running.name(), running.attempt(),
                    running.startedAt()));
        }
        for (PendingTask task : report.pending()) {
            out.println(String.format(Locale.ROOT, "  %-15s %s%s", "pending", task.name(), task.reason() == null ? "" : ": " + task.reason()));
        }
        if (report.runDirectory() != null) {
            out.println("  worker output: " + report.runDirectory());
        }
    }
}
