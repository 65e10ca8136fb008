package org.taylorism.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.taylorism.BossListener;
import org.taylorism.Report;
import org.taylorism.RunningWorker;
import org.taylorism.WorkerReport;

/**
 * Progress on stderr. On a terminal: one line redrawn in place (done, failed, running, pending, elapsed,
 * ETA), with failures printed above it as they happen; anything else written to stderr meanwhile (a log line)
 * first clears that line, so that it never lands glued to it. Elsewhere: one plain line per worker that ends.
 */
final class ProgressView implements BossListener, AutoCloseable {

    /** How progress is shown. */
    enum Mode {
        REDRAWN, LINES, NONE
    }

    private static final String CLEAR_LINE = "\r\033[K";

    private final PrintWriter err;
    private final Mode mode;
    private final boolean colours;
    private final int total;
    private final boolean withTypes;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService ticker;
    /** System.err before this view replaced it with one that clears the progress line first; null when it did not. */
    private final PrintStream originalStderr;
    private int started;
    private int ended;
    private int failed;
    private int unlaunched;
    private int carried;
    private boolean lineShown;
    /** Whether programs' output is being printed: the line is not drawn meanwhile. */
    private boolean hidden;

    /** @param withTypes whether errors show their Java type (-v) */
    ProgressView(PrintWriter err, Mode mode, boolean colours, int total, boolean withTypes) {
        this.err = err;
        this.withTypes = withTypes;
        this.mode = mode;
        this.colours = colours;
        this.total = total;
        if (mode == Mode.REDRAWN) {
            ticker = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "taylorism-progress");
                thread.setDaemon(true);
                return thread;
            });
            ticker.scheduleAtFixedRate(this::redraw, 1, 1, TimeUnit.SECONDS);
            // The command line's own stderr: log lines go through it; this view writes to the original (err).
            originalStderr = System.err;
            System.setErr(new PrintStream(new LineClearingStream(originalStderr), true));
        } else {
            ticker = null;
            originalStderr = null;
        }
    }

    /** Writes what others write to stderr, once the progress line is cleared. */
    private final class LineClearingStream extends OutputStream {
        private final PrintStream target;

        LineClearingStream(PrintStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            clearForOtherOutput();
            target.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            clearForOtherOutput();
            target.write(bytes, offset, length);
        }

        @Override
        public void flush() {
            target.flush();
        }
    }

    private synchronized void clearForOtherOutput() {
        if (lineShown) {
            err.print(CLEAR_LINE);
            err.flush();
            lineShown = false;
        }
    }

    /**
     * Clears the line and keeps it away while programs' output is printed, which must not wait for this view's lock
     * (a slow reader of that output must never stall the Boss thread that tells this view of ends).
     */
    synchronized void hide() {
        hidden = true;
        clearForOtherOutput();
    }

    /** Draws the line again after {@link #hide()}. */
    synchronized void show() {
        hidden = false;
        redraw();
    }

    @Override
    public synchronized void started(RunningWorker worker) {
        started++;
        redraw();
    }

    @Override
    public synchronized void runEnded(Report report) {
        if (lineShown) {
            err.print(CLEAR_LINE);
            err.flush();
            lineShown = false;
        }
    }

    @Override
    public synchronized void ended(WorkerReport report) {
        ended++;
        if (report.carriedFrom() != null) {
            carried++;
        } else if (report.stdout() == null) {
            unlaunched++;
        }
        boolean bad = !report.status().isSuccess();
        if (bad) {
            failed++;
        }
        if (mode == Mode.LINES || (mode == Mode.REDRAWN && bad)) {
            clearLine();
            err.println(describe(report));
        }
        redraw();
    }

    /** One worker's line: what came from the worker (its name, its error) made printable, this view's colours kept. */
    private String describe(WorkerReport report) {
        StringBuilder line = new StringBuilder()
                .append('[').append(ended).append('/').append(total).append("] ")
                .append(Terminal.printable(report.name())).append(' ').append(paint(report.status().jsonName(), !report.status().isSuccess()))
                .append(String.format(" in %.1f s", report.durationMs() / 1000.0));
        if (report.carriedFrom() != null) {
            line.append(" (carried over from run ").append(report.carriedFrom()).append(')');
        }
        if (!report.status().isSuccess() && report.error() != null) {
            line.append(": ").append(Terminal.errorLine(report.error(), withTypes));
            if (report.stderr() != null) {
                line.append(" (stderr: ").append(Terminal.printable(report.stderr())).append(')');
            }
        }
        return line.toString();
    }

    private String paint(String text, boolean bad) {
        if (!colours) {
            return text;
        }
        return (bad ? "\033[31m" : "\033[32m") + text + "\033[0m";
    }

    private synchronized void redraw() {
        if (mode != Mode.REDRAWN || hidden) {
            return;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        int running = started - (ended - unlaunched - carried);
        int pending = Math.max(0, total - started - unlaunched - carried);
        err.print(CLEAR_LINE + line(ended, total, failed == 0 ? "0" : paint(String.valueOf(failed), true), running, pending, elapsed));
        err.flush();
        lineShown = true;
    }

    /** The progress line: {@code done 3/10, 0 failed, 2 running, 5 pending, 4.2s elapsed, ETA 9.8s}. */
    static String line(int done, int total, String failed, int running, int pending, Duration elapsed) {
        String eta = done == 0 || done >= total ? "-" : format(elapsed.multipliedBy(total - done).dividedBy(done));
        return String.format("done %d/%d, %s failed, %d running, %d pending, %s elapsed, ETA %s",
                done, total, failed, running, pending, format(elapsed), eta);
    }

    private void clearLine() {
        if (lineShown) {
            err.print(CLEAR_LINE);
            lineShown = false;
        }
    }

    static String format(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds < 60 ? String.format("%.1fs", duration.toMillis() / 1000.0)
                : seconds < 3600 ? String.format("%dm%02ds", seconds / 60, seconds % 60)
                : String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        runEnded(null);
        if (originalStderr != null) {
            System.setErr(originalStderr);
        }
    }
}
