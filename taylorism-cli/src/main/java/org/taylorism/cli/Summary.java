package org.taylorism.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.taylorism.Report;
import org.taylorism.RunStatus;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;

/**
 * The few lines on stderr at the end of a run: counts per status, the slowest workers, what did not succeed (each
 * failure once: when the progress display showed them as they happened, they are counted, not listed again; else
 * the first {@value #FAILURES_LISTED} are listed), and where the output, the run and the report are.
 */
final class Summary {

    static final int FAILURES_LISTED = 10;

    private Summary() {
    }

    /**
     * @param stoppedBy what stopped the run, in words ({@code Ctrl-C twice}), or null when nothing did
     * @param failuresShown whether the progress display printed each failure as it happened
     * @param reportFiles the files the report went to, or null when it went to standard output
     */
    static void print(Report report, PrintWriter err, Duration took, String stoppedBy, boolean failuresShown, List<String> reportFiles,
                      boolean withTypes) {
        StringBuilder summary = new StringBuilder("taylorism: run ")
                .append(stoppedBy != null ? "stopped by " + stoppedBy : report.status() == RunStatus.PENDING ? "stopped" : report.status().jsonName())
                .append(" in ").append(ProgressView.format(took)).append(':');
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
            err.println("  aborted: " + Terminal.errorLine(report.error(), withTypes));
        }
        List<WorkerReport> slowest = report.workers().stream().filter(w -> w.stdout() != null)
                .sorted(Comparator.comparingLong(WorkerReport::durationMs).reversed()).limit(3).toList();
        if (slowest.size() > 1) {
            err.println("  slowest: " + String.join(", ", slowest.stream()
                    .map(w -> Terminal.printable(w.name()) + String.format(Locale.ROOT, " (%.1f s)", w.durationMs() / 1000.0)).toList()));
        }
        unsuccessful(report, err, failuresShown, withTypes);
        long carried = report.workers().stream().filter(worker -> worker.carriedFrom() != null).count();
        if (carried > 0) {
            err.println("  carried over from earlier runs, not run again: " + carried + " sets (their \"carriedFrom\" in the report)");
        }
        if (!report.pending().isEmpty()) {
            err.println("  never started: " + report.pending().size() + " sets, listed in the report's \"pending\"");
        }
        if (report.runDirectory() != null) {
            err.println("  worker output: " + report.runDirectory());
        }
        if (report.runId() != null) {
            err.println("  run: " + report.runId() + " (taylorism show " + report.runId() + ")");
        }
        if (reportFiles != null && !reportFiles.isEmpty()) {
            err.println("  report: " + String.join(", ", reportFiles));
        } else if (reportFiles != null) {
            err.println("  report: none written (no worker ran, so there is no run directory; --report FILE writes one)");
        }
        err.flush();
    }

    private static void unsuccessful(Report report, PrintWriter err, boolean failuresShown, boolean withTypes) {
        List<WorkerReport> listed = report.unsuccessful();
        // A run that let go of old reports (its store has them) counts them all, and lists the ones it holds.
        int total = report.notHeld() == null ? listed.size() : Arrays.stream(WorkerStatus.values()).filter(status -> !status.isSuccess())
                .mapToInt(status -> report.counts().getOrDefault(status.jsonName(), 0)).sum();
        if (total == 0) {
            return;
        }
        String more = report.runId() != null ? "taylorism show " + report.runId() + " --status failed,crashed,killed,cancelled,timed_out,"
                + "memory_exceeded lists them" : "the report lists them";
        if (failuresShown) {
            err.println("  did not succeed: " + total + ", each shown above as it ended (" + more + ")");
            return;
        }
        List<WorkerReport> shown = listed.subList(0, Math.min(FAILURES_LISTED, listed.size()));
        for (WorkerReport failure : shown) {
            err.println("  " + failure.status().jsonName() + ": " + Terminal.printable(failure.name())
                    + (failure.error() == null ? "" : ": " + Terminal.errorLine(failure.error(), withTypes))
                    + (failure.stderr() == null ? "" : " (stderr: " + Terminal.printable(failure.stderr()) + ")"));
        }
        if (total > shown.size()) {
            err.println("  ... and " + (total - shown.size()) + " more that did not succeed (" + more + ")");
        }
    }
}
