package org.taylorism.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.taylorism.store.JdbcRunStore;
import org.taylorism.store.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code taylorism runs}: every run of the store, oldest first. */
@Command(name = "runs",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        description = "Lists the runs of the run store, oldest first: id, start, duration, status, and how their sets ended.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:internal error", "2:bad usage", "5:the run store cannot be opened or read"})
final class RunsCommand implements Callable<Integer> {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreOptions store;

    @Option(names = "--json", description = "Write the list as JSON.")
    private boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<RunSummary> runs;
        try (JdbcRunStore opened = store.open()) {
            runs = opened.runs();
        }
        if (json) {
            JsonOutput.print(out, runs);
        } else if (runs.isEmpty()) {
            out.println("no run in " + store.file());
        } else {
            out.println(String.format(Locale.ROOT, "%-20s  %-19s  %9s  %-11s  %s", "ID", "STARTED", "DURATION", "STATUS", "SETS"));
            for (RunSummary run : runs) {
                out.println(String.format(Locale.ROOT, "%-20s  %-19s  %9s  %-11s  %s", run.id(), WHEN.format(run.startedAt()),
                        duration(run), run.status(), counts(run.counts())
                                + (run.resumedFrom() == null ? "" : " (resumes " + run.resumedFrom() + ")")));
            }
        }
        out.flush();
        return CommandLine.ExitCode.OK;
    }

    private static String duration(RunSummary run) {
        Instant end = run.endedAt() != null ? run.endedAt() : Instant.now();
        return ProgressView.format(Duration.between(run.startedAt(), end));
    }

    static String counts(Map<String, Integer> counts) {
        StringBuilder text = new StringBuilder();
        counts.forEach((status, count) -> text.append(text.length() == 0 ? "" : ", ").append(count).append(' ').append(status));
        return text.length() == 0 ? "none" : text.toString();
    }
}
