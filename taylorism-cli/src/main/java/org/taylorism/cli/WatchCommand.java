package org.taylorism.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.taylorism.Report;
import org.taylorism.RunStatus;
import org.taylorism.WorkerReport;
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

    /** What is known of the sets watched: from a report asked for once the stream is open, then from each event. */
    private static final class Tally {
        final Set<String> names = new HashSet<>();
        final Set<String> running = new HashSet<>();
        final Set<String> ended = new HashSet<>();
        final Set<String> failed = new HashSet<>();
        final boolean wholeRun;
        boolean runOver;

        Tally(Report report, boolean wholeRun) {
            this.wholeRun = wholeRun;
            report.workers().forEach(worker -> {
                names.add(worker.name());
                ended.add(worker.name());
                if (!worker.status().isSuccess()) {
                    failed.add(worker.name());
                }
            });
            report.pending().forEach(task -> names.add(task.name()));
            report.running().forEach(worker -> {
                names.add(worker.name());
                running.add(worker.name());
            });
            runOver = report.status() != RunStatus.INTERIM;
        }

        boolean over() {
            return runOver || !wholeRun && ended.containsAll(names);
        }
    }

    @Override
    public Integer call() {
        TaylorismClient client = server.client();
        boolean terminal = Terminal.stderrIsTerminal();
        PrintWriter err = spec.commandLine().getErr();
        err.println("taylorism: watching " + (batch == null ? "the run" : "batch " + batch) + " of " + client.address()
                + " (Ctrl-C stops watching, not the run)");
        err.flush();
        long start = System.nanoTime();
        Tally[] tally = {null};
        client.events(event -> {
            if (event.type().equals("hello")) {
                Report now = report(client);
                tally[0] = new Tally(now, batch == null);
                printFailures(now, tally[0], err);
            } else if (tally[0] != null && apply(event, tally[0], err, terminal)) {
                draw(err, terminal, tally[0], start);
            }
            return tally[0] == null || !tally[0].over();
        });
        if (terminal) {
            err.print("\r\033[K");
        }
        Report last = report(client);
        err.println("taylorism: " + (batch == null ? "the run" : "batch " + batch) + ": " + last.status().jsonName() + ", "
                + StatusCommand.nonZero(last.counts()));
        err.flush();
        return last.unsuccessful().isEmpty() ? CommandLine.ExitCode.OK : TaylorismCommand.SOME_WORKERS_FAILED;
    }

    private Report report(TaylorismClient client) {
        return batch == null ? client.getReport(true) : client.batchReport(batch);
    }

    /** The failures there were before watching began, as they would have been printed. */
    private static void printFailures(Report report, Tally tally, PrintWriter err) {
        List<WorkerReport> ended = report.workers();
        for (int i = 0; i < ended.size(); i++) {
            WorkerReport worker = ended.get(i);
            if (!worker.status().isSuccess()) {
                err.println(Terminal.printable("[" + (i + 1) + "/" + tally.names.size() + "] " + worker.name() + " "
                        + worker.status().jsonName() + (worker.error() == null ? "" : ": " + Terminal.errorLine(worker.error(), false))));
            }
        }
        err.flush();
    }

    /** Counts {@code event} if it is about a set watched; prints a failure; whether anything changed. */
    private boolean apply(ServerEvent event, Tally tally, PrintWriter err, boolean terminal) {
        if (event.type().equals("run-ended")) {
            tally.runOver = true;
            return true;
        }
        Object name = event.data().get("name");
        if (!(name instanceof String set) || !tally.wholeRun && !tally.names.contains(set)) {
            return false;
        }
        tally.names.add(set);
        if (event.type().equals("started")) {
            tally.running.add(set);
        } else if (event.type().equals("ended") && tally.ended.add(set)) {
            tally.running.remove(set);
            if (!"succeeded".equals(event.data().get("status")) && tally.failed.add(set)) {
                if (terminal) {
                    err.print("\r\033[K");
                }
                err.println(Terminal.printable("[" + tally.ended.size() + "/" + tally.names.size() + "] " + set + " "
                        + event.data().get("status") + (event.data().get("error") == null ? "" : ": " + event.data().get("error"))));
                err.flush();
            }
        }
        return true;
    }

    private static void draw(PrintWriter err, boolean terminal, Tally tally, long start) {
        if (!terminal) {
            return;
        }
        int pending = Math.max(0, tally.names.size() - tally.ended.size() - tally.running.size());
        err.print("\r\033[K" + ProgressView.line(tally.ended.size(), tally.names.size(), String.valueOf(tally.failed.size()),
                tally.running.size(), pending, Duration.ofNanos(System.nanoTime() - start)));
        err.flush();
    }
}
