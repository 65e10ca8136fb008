package org.taylorism.cli;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.taylorism.Report;
import org.taylorism.RunStoreException;
import org.taylorism.internal.OwnerOnly;
import org.taylorism.store.JdbcRunStore;
import picocli.CommandLine.Option;

/**
 * Where a run's JSON report goes: always to {@code report.json} in the run's directory, and to {@code --report FILE},
 * or to standard output with {@code --report -}.
 */
final class ReportOptions {

    @Option(names = "--report", paramLabel = "FILE",
            description = "Also write the JSON report to FILE; - for standard output (then programs' output is not printed"
                    + " unless --output says so). It is always written to report.json in the run's directory.")
    private String report;

    @Option(names = "--timeline", paramLabel = "FILE",
            description = "Also write the run as one self-contained HTML file: its timeline and the table of its sets"
                    + " (taylorism timeline RUN_ID writes one for any stored run).")
    private Path timeline;

    /** The report kept in the run directory by {@link #keepInRunDirectory}, which the other places get a copy of; or null. */
    private Path keptCopy;

    /** Whether the report goes to standard output. */
    boolean toStdout() {
        return "-".equals(report);
    }

    /** A report that cannot be written is found out before the run, not after hours of it. */
    void check() {
        if (timeline != null) {
            checkWritable(timeline, "--timeline " + timeline);
        }
        if (report == null || toStdout()) {
            return;
        }
        Path file = Path.of(report);
        Path parent = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new BadInputException("--report " + report + " is a directory");
        }
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)
                || (Files.exists(file) && !Files.isWritable(file))) {
            throw new BadInputException("--report " + report + " cannot be written"
                    + (parent != null && !Files.isDirectory(parent) ? ": no directory " + parent : ""));
        }
    }

    /**
     * Keeps the report beside the workers' files, as {@code report.json}: where standard output went away (a
     * terminal that hung up) or the output printed takes long, the run's results are there already.
     */
    void keepInRunDirectory(Report report, JdbcRunStore store, PrintWriter err) {
        Path kept = inRunDirectory(report);
        if (kept != null) {
            try {
                writeJson(report, store, kept);
                keptCopy = kept;
            } catch (UncheckedIOException e) {
                err.println("taylorism: could not keep the report in " + kept + ": " + e.getCause().getMessage());
            }
        }
    }

    private static void checkWritable(Path file, String option) {
        Path parent = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new BadInputException(option + " is a directory");
        }
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent) || (Files.exists(file) && !Files.isWritable(file))) {
            throw new BadInputException(option + " cannot be written" + (parent != null && !Files.isDirectory(parent) ? ": no directory "
                    + parent : ""));
        }
    }

    /** Writes the report where {@code --report} says, once {@link #keepInRunDirectory} kept it, and the timeline file. */
    void write(Report report, JdbcRunStore store, PrintWriter out, PrintWriter err) {
        if (timeline != null) {
            try {
                org.taylorism.server.TimelineFile.write(fromStore(report, store) ? store.report(report.runId()) : report, timeline);
            } catch (java.io.IOException | RuntimeException e) {
                err.println("taylorism: could not write the timeline " + timeline + ": " + e.getMessage());
            }
        }
        Path kept = inRunDirectory(report);
        if (toStdout()) {
            toStandardOutput(report, store, out, err);
        } else if (this.report != null) {
            try {
                writeJson(report, store, Path.of(this.report));
            } catch (UncheckedIOException e) {
                boolean elsewhere = kept != null && Files.isRegularFile(kept);
                err.println("taylorism: " + e.getMessage() + ": " + e.getCause().getMessage()
                        + (elsewhere ? "; it is in " + kept : "; the report follows on standard output"));
                if (!elsewhere) {
                    // The results exist nowhere else: they go to stdout rather than nowhere.
                    toStandardOutput(report, store, out, err);
                }
            }
        }
    }

    /** Streams the report to standard output's bytes (a report of a hundred thousand sets is never one string). */
    private void toStandardOutput(Report report, JdbcRunStore store, PrintWriter out, PrintWriter err) {
        out.flush();
        OutputStream bytes = out instanceof ByteWriter writer ? writer.bytes() : null;
        try {
            if (bytes == null) {
                ByteArrayOutputStream whole = new ByteArrayOutputStream();
                writeJson(report, store, whole);
                out.print(whole.toString(StandardCharsets.UTF_8));
                out.flush();
            } else {
                writeJson(report, store, bytes);
            }
        } catch (IOException e) {
            err.println("taylorism: could not write the report to standard output: " + e.getMessage());
        }
    }

    /**
     * Whether the report is to be read from the store: its Boss let go of the reports of sets that ended long ago (the
     * store has them all), and the store took every write.
     */
    private static boolean fromStore(Report report, JdbcRunStore store) {
        return store != null && report.notHeld() != null && report.runId() != null
                && (report.error() == null || !report.error().is(RunStoreException.class));
    }

    private void writeJson(Report report, JdbcRunStore store, OutputStream out) throws IOException {
        if (keptCopy != null) {
            Files.copy(keptCopy, out); // what the run directory's copy holds already: a big report is not made twice
            out.flush();
        } else if (fromStore(report, store)) {
            store.writeReport(report.runId(), out);
        } else {
            report.writeJson(out);
        }
    }

    private void writeJson(Report report, JdbcRunStore store, Path file) {
        if (keptCopy != null && file.toAbsolutePath().normalize().equals(keptCopy.toAbsolutePath().normalize())) {
            return; // --report names the run directory's copy: it is written already
        }
        try (OutputStream out = new BufferedOutputStream(OwnerOnly.newOutputStream(file), 1 << 16)) {
            writeJson(report, store, out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the report to " + file, e);
        }
    }

    /** Where the report was written, for the summary: its files (standard output is not named). */
    List<String> places(Report report) {
        List<String> places = new ArrayList<>(2);
        Path kept = inRunDirectory(report);
        if (kept != null && Files.isRegularFile(kept)) {
            places.add(kept.toString());
        }
        if (this.report != null && !toStdout() && Files.isRegularFile(Path.of(this.report))) {
            places.add(this.report);
        }
        return places;
    }

    private static Path inRunDirectory(Report report) {
        if (report.runDirectory() == null || !Files.isDirectory(Path.of(report.runDirectory()))) {
            return null;
        }
        return Path.of(report.runDirectory()).resolve("report.json");
    }
}
