package org.taylorism.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;
import org.taylorism.BossListener;
import org.taylorism.WorkerReport;

/** One line on stderr per worker that ends; failures say why and where their stderr is. */
final class ProgressPrinter implements BossListener {

    private final PrintWriter err;
    private final int total;
    private final AtomicInteger ended = new AtomicInteger();

    ProgressPrinter(PrintWriter err, int total) {
        this.err = err;
        this.total = total;
    }

    @Override
    public void succeeded(WorkerReport report) {
        print(report);
    }

    @Override
    public void failed(WorkerReport report) {
        print(report);
    }

    @Override
    public void stopped(WorkerReport report) {
        print(report);
    }

    private void print(WorkerReport report) {
        StringBuilder line = new StringBuilder()
                .append('[').append(ended.incrementAndGet()).append('/').append(total).append("] ")
                .append(report.name()).append(' ').append(report.status().jsonName())
                .append(String.format(" in %.1f s", report.durationMs() / 1000.0));
        if (!report.status().isSuccess() && report.error() != null) {
            line.append(": ").append(report.error().oneLine());
            if (report.stderr() != null) {
                line.append(" (stderr: ").append(report.stderr()).append(')');
            }
        }
        err.println(line);
        err.flush();
    }
}
