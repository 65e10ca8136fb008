package org.taylorism.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.taylorism.Report;
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
    void keepInRunDirectory(Report report, PrintWriter err) {
        Path kept = inRunDirectory(report);
        if (kept != null) {
            try {
                report.writeJson(kept);
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
    void write(Report report, PrintWriter out, PrintWriter err) {
        if (timeline != null) {
            try {
                org.taylorism.server.TimelineFile.write(report, timeline);
            } catch (java.io.IOException | RuntimeException e) {
                err.println("taylorism: could not write the timeline " + timeline + ": " + e.getMessage());
            }
        }
        Path kept = inRunDirectory(report);
        if (toStdout()) {
            toStandardOutput(report, out, err);
        } else if (this.report != null) {
            try {
                report.writeJson(Path.of(this.report));
            } catch (UncheckedIOException e) {
                boolean elsewhere = kept != null && Files.isRegularFile(kept);
                err.println("taylorism: " + e.getMessage() + ": " + e.getCause().getMessage()
                        + (elsewhere ? "; it is in " + kept : "; the report follows on standard output"));
                if (!elsewhere) {
                    // The results exist nowhere else: they go to stdout rather than nowhere.
                    toStandardOutput(report, out, err);
                }
            }
        }
    }

    /** Streams the report to standard output's bytes (a report of a hundred thousand sets is never one string). */
    private static void toStandardOutput(Report report, PrintWriter out, PrintWriter err) {
        if (!(out instanceof ByteWriter bytes)) {
            out.println(report.toJson());
            out.flush();
            return;
        }
        try {
            report.writeJson(bytes.bytes());
        } catch (java.io.IOException e) {
            err.println("taylorism: could not write the report to standard output: " + e.getMessage());
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
