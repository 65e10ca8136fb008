package org.taylorism.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.taylorism.Report;
import org.taylorism.RunStatus;
import org.taylorism.client.ServerEvent;
import org.taylorism.client.TaylorismClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code taylorism watch [BATCH]}: the progress of a server's run, or of one batch, as run shows it, live from the
 * server's event stream, until it ends (or Ctrl-C).
 */
@Command(name = "watch",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        sortOptions = false,
        description = "Shows the progress of a server's run, or of one of its batches, live (a line per failure, and the progress"
                + " line on a terminal), until it has ended.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:it ended, every set watched succeeded", "1:internal error", "2:bad input, no such batch, or the wrong token",
                "3:some sets watched did not succeed", "4:no server answers"})
final class WatchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerChoice server;

    @Parameters(index = "0", arity = "0..1", paramLabel = "BATCH", description = "A batch id, as submit printed it.")
    private String batch;

    /** What is known of the sets watched, from a report first, then from each event. */
    private static final class Tally {
        final Set<String> names = new HashSet<>();
        final Set<String> running = new HashSet<>();
        int total;
        int done;
        int failed;

        Tally(Report report) {
            Stream.of(report.workers().stream().map(worker -> worker.name()), report.pending().stream().map(task -> task.name()),
                    report.running().stream().map(worker -> worker.name())).flatMap(names -> names).forEach(names::add);
            report.running().forEach(worker -> running.add(worker.name()));
            total = names.size();
            done = report.workers().size();
            failed = (int) report.workers().stream().filter(worker -> !worker.status().isSuccess()).count();
        }
    }

    @Override
    public Integer call() {
        TaylorismClient client = server.client();
        Report first = batch == null ? client.getReport(true) : client.batchReport(batch);
        Tally tally = new Tally(first);
        boolean terminal = Terminal.stderrIsTerminal();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        if (first.status() == RunStatus.INTERIM) {
            client.events(event -> {
                if (apply(event, tally, err, terminal)) {
                    draw(err, terminal, tally, start);
                }
                return !event.type().equals("run-ended") && (batch == null || tally.done < tally.total);
            });
        }
        if (terminal) {
            err.print("\r\033[K");
        }
        Report last = batch == null ? client.getReport(true) : client.batchReport(batch);
        err.println("taylorism: " + (batch == null ? "the run" : "batch " + batch) + ": " + last.status().jsonName() + ", "
                + StatusCommand.nonZero(last.counts()));
        err.flush();
        return last.unsuccessful().isEmpty() ? CommandLine.ExitCode.OK : TaylorismCommand.SOME_WORKERS_FAILED;
    }

    /** Counts {@code event} if it is about a set watched; prints a failure; whether anything changed. */
    private boolean apply(ServerEvent event, Tally tally, PrintWriter err, boolean terminal) {
        Map<String, Object> data = event.data();
        Object name = data.get("name");
        if (batch == null && name instanceof String newName && !tally.names.contains(newName)) {
            tally.names.add(newName);
            tally.total++;
        }
        if (!tally.names.contains(name)) {
            return false;
        }
        if (event.type().equals("started")) {
            tally.running.add((String) name);
        } else if (event.type().equals("ended")) {
            tally.running.remove(name);
            tally.done++;
            if (!"succeeded".equals(data.get("status"))) {
                tally.failed++;
                if (terminal) {
                    err.print("\r\033[K");
                }
                err.println("[" + tally.done + "/" + tally.total + "] " + name + " " + data.get("status")
                        + (data.get("error") == null ? "" : ": " + data.get("error")));
            }
        }
        return true;
    }

    private static void draw(PrintWriter err, boolean terminal, Tally tally, long start) {
        if (!terminal) {
            return;
        }
        int pending = Math.max(0, tally.total - tally.done - tally.running.size());
        err.print("\r\033[K" + ProgressView.line(tally.done, tally.total, String.valueOf(tally.failed), tally.running.size(), pending,
                Duration.ofNanos(System.nanoTime() - start)));
        err.flush();
    }
}
