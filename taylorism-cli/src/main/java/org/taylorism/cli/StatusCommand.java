package org.taylorism.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.taylorism.PendingTask;
import org.taylorism.Report;
import org.taylorism.client.TaylorismClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code taylorism status [BATCH]}: a server's batches, or where one batch stands. */
@Command(name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        sortOptions = false,
        description = "Lists a server's batches with their counts, or, given BATCH, where each of its sets stands (pending ones"
                + " with why they wait).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown", "1:internal error", "2:bad input, no such batch, or the wrong token", "4:no server answers"})
final class StatusCommand implements Callable<Integer> {

    private static final int PENDING_SHOWN = 20;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerChoice server;

    @Parameters(index = "0", arity = "0..1", paramLabel = "BATCH", description = "A batch id, as submit printed it.")
    private String batch;

    @Option(names = "--json", description = "Print JSON (the batch list, or the batch's interim report) instead of text.")
    private boolean json;

    @Override
    public Integer call() throws IOException {
        TaylorismClient client = server.client();
        PrintWriter out = spec.commandLine().getOut();
        if (batch == null) {
            List<Map<String, Object>> batches = client.batches();
            if (json) {
                JsonOutput.print(out, batches);
            } else if (batches.isEmpty()) {
                out.println("no batch was submitted to " + client.address());
            } else {
                out.printf("%-8s %-10s %6s  %s%n", "BATCH", "STATUS", "SETS", "COUNTS");
                for (Map<String, Object> entry : batches) {
                    out.printf("%-8s %-10s %6s  %s%n", entry.get("batch"), entry.get("status"), entry.get("sets"),
                            nonZero(entry.get("counts")));
                }
            }
            out.flush();
            return CommandLine.ExitCode.OK;
        }
        Report report = client.batchReport(batch);
        if (json) {
            out.println(report.toJson());
        } else {
            out.println("batch " + batch + ": " + report.status().jsonName() + ", " + nonZero(report.counts()));
            List<PendingTask> pending = report.pending();
            pending.stream().limit(PENDING_SHOWN).forEach(task -> out.println(Terminal.printable("  " + task.name() + " waits: " + task.reason())));
            if (pending.size() > PENDING_SHOWN) {
                out.println("  ... and " + (pending.size() - PENDING_SHOWN) + " more pending (--json lists them all)");
            }
            report.running().forEach(worker -> out.println(Terminal.printable("  " + worker.name() + " runs since " + worker.startedAt())));
        }
        out.flush();
        return CommandLine.ExitCode.OK;
    }

    /** The counts that are not 0, as {@code succeeded=3 running=1}. */
    static String nonZero(Object counts) {
        StringBuilder text = new StringBuilder();
        if (counts instanceof Map<?, ?> map) {
            map.forEach((status, count) -> {
                if (count instanceof Number number && number.intValue() != 0) {
                    text.append(text.length() == 0 ? "" : " ").append(status).append('=').append(count);
                }
            });
        }
        return text.length() == 0 ? "nothing yet" : text.toString();
    }
}
