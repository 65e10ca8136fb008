package org.taylorism.cli;

import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How the programs' own output reaches the user, as GNU parallel's --group, --line-buffer, --tag and --keep-order. */
final class OutputOptions {

    /** What is printed of the programs' output, and when. */
    enum Mode {
        /** Each worker's stdout, then its stderr, printed whole when it ends: outputs never mix. */
        GROUP,
        /** Whole lines as they are written, workers' lines interleaved; a worker's partial last line when it ends. */
        LINE,
        /** Nothing: the output stays in the run directory's files. */
        NONE
    }

    @Option(names = "--output", paramLabel = "MODE", converter = ModeConverter.class,
            description = "What of the programs' stdout and stderr is printed on taylorism's: group (each worker's, whole,"
                    + " when it ends; the default), line (whole lines as they come, workers mixed), none. Either way every"
                    + " worker's output is kept in the run directory.")
    private Mode mode;

    @Option(names = "--tag", description = "Start each printed line with the worker's name and a tab.")
    boolean tag;

    @Option(names = "--keep-order", description = "Print the workers' output in the order of the batch, not of their ends.")
    boolean keepOrder;

    /** The mode chosen: group, or none when the report goes to standard output and no mode was asked for. */
    Mode mode(ReportOptions report) {
        if (report.toStdout() && mode != null && mode != Mode.NONE) {
            throw new BadInputException("--report - and --output " + mode.name().toLowerCase(Locale.ROOT)
                    + " would both write to standard output: give the report a file, or use --output none");
        }
        return mode != null ? mode : report.toStdout() ? Mode.NONE : Mode.GROUP;
    }

    /** Accepts {@code group}, {@code LINE}... */
    static final class ModeConverter implements CommandLine.ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            try {
                return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an output mode: use group, line or none");
            }
        }
    }
}
