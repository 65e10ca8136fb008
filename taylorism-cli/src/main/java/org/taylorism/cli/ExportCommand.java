package org.taylorism.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.taylorism.store.JdbcRunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code taylorism export RUN_ID --format joblog|csv|json}: a run for other tools. */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        description = {"Writes a run from the run store to standard output: joblog (GNU parallel's --joblog columns), csv (a row per"
                + " set) or json (its report)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "1:internal error", "2:bad usage", "5:the run store cannot be read, or has no such run"})
final class ExportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreOptions store;

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run: its id, or the start of it.")
    private String runId;

    @Option(names = "--format", paramLabel = "FORMAT", required = true, converter = FormatConverter.class,
            description = "joblog, csv or json.")
    private JdbcRunStore.ExportFormat format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (JdbcRunStore opened = store.open()) {
            opened.export(runId, format, out);
        }
        return CommandLine.ExitCode.OK;
    }

    /** joblog, csv, json, in any case. */
    static final class FormatConverter implements CommandLine.ITypeConverter<JdbcRunStore.ExportFormat> {
        @Override
        public JdbcRunStore.ExportFormat convert(String value) {
            try {
                return JdbcRunStore.ExportFormat.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a format: use joblog, csv or json");
            }
        }
    }
}
