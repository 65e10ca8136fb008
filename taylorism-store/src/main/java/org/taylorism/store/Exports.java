package org.taylorism.store;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.taylorism.PendingTask;
import org.taylorism.Report;
import org.taylorism.WorkerReport;

/** A run's report written out for other tools: GNU parallel's joblog, or CSV. */
final class Exports {

    /** Signal numbers by name, for the joblog's Signal column (Linux's). */
    private static final Map<String, Integer> SIGNALS = Map.ofEntries(Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3),
            Map.entry("ILL", 4), Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14),
            Map.entry("TERM", 15), Map.entry("XCPU", 24), Map.entry("XFSZ", 25));

    private Exports() {
    }

    /**
     * GNU parallel's joblog: a header, then one tab-separated line per worker that ran, in the order they ended:
     * Seq, Host, Starttime (epoch seconds), JobRuntime (seconds), Send, Receive, Exitval, Signal, Command.
     */
    static void joblog(Report report, PrintWriter out) {
        out.println("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand");
        int seq = 0;
        for (WorkerReport worker : report.workers()) {
            seq++;
            if (worker.stdout() == null) {
                continue; // never launched: parallel logs only jobs that ran
            }
            out.println(String.join("\t", String.valueOf(seq), worker.node() == null ? ":" : worker.node(),
                    String.format(Locale.ROOT, "%.3f", worker.startedAt().toEpochMilli() / 1000.0),
                    String.format(Locale.ROOT, "%.3f", worker.durationMs() / 1000.0), "0", "0",
                    String.valueOf(worker.exitCode() == null ? -1 : worker.exitCode()),
                    String.valueOf(worker.signal() == null ? 0 : SIGNALS.getOrDefault(worker.signal(), 0)), command(worker)));
        }
    }

    /** The command a joblog shows: a program's own, or the worker type and the set's name. */
    private static String command(WorkerReport worker) {
        Object command = worker.instructions().get("command");
        String text = command instanceof List<?> words ? String.join(" ", words.stream().map(String::valueOf).toList())
                : worker.worker() + " " + worker.name();
        return text.replace('\t', ' ').replace('\n', ' ');
    }

    /** One row per set: those that ended, in the order they ended, then those that never ran. */
    static void csv(Report report, PrintWriter out) {
        out.println("name,worker,status,cause,attempt,exit_code,signal,started_at,ended_at,duration_ms,peak_rss_mb,node,stdout,stderr,error");
        for (WorkerReport worker : report.workers()) {
            out.println(String.join(",", cell(worker.name()), cell(worker.worker()), worker.status().jsonName(), cell(worker.cause()),
                    String.valueOf(worker.attempt()), cell(worker.exitCode()), cell(worker.signal()), cell(worker.startedAt()),
                    cell(worker.endedAt()), String.valueOf(worker.durationMs()), cell(worker.peakRssMb()), cell(worker.node()),
                    cell(worker.stdout()), cell(worker.stderr()), cell(worker.error() == null ? null : worker.error().oneLine())));
        }
        for (PendingTask task : report.pending()) {
            out.println(String.join(",", cell(task.name()), cell(task.worker()), "pending", "", "", "", "", "", "", "", "", "", "", "",
                    cell(task.reason())));
        }
    }

    /** An RFC 4180 cell: quoted when it holds a comma, a quote or a line break. */
    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        return text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")
                ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
