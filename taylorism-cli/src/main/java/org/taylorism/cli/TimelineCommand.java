package org.taylorism.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.taylorism.Report;
import org.taylorism.server.TimelineFile;
import org.taylorism.store.JdbcRunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code taylorism timeline RUN_ID -o run.html}: one self-contained HTML file of a stored run. */
@Command(name = "timeline",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        description = {"Writes one self-contained HTML file of a stored run, finished or interrupted: its timeline (a bar per"
                + " attempt, one row per slot or node, lines from the sets each waited for) and the table of its sets. It needs"
                + " no network: attach it to an email or a ticket."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "1:internal error", "2:bad usage (a file that cannot be written)",
                "5:the run store cannot be read, or has no such run"})
final class TimelineCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreOptions store;

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run: its id, or the start of it (taylorism runs lists them).")
    private String runId;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "The HTML file to write.")
    private Path output;

    @Override
    public Integer call() {
        if (Files.isDirectory(output)) {
            throw new BadInputException("-o " + output + " is a directory");
        }
        Report report;
        try (JdbcRunStore opened = store.open()) {
            report = opened.report(runId);
        }
        try {
            TimelineFile.write(report, output);
        } catch (IOException e) {
            throw new BadInputException("-o " + output + " cannot be written: " + e.getMessage(), e);
        }
        spec.commandLine().getErr().println("taylorism: the timeline of run " + report.runId() + " is in " + output);
        return CommandLine.ExitCode.OK;
    }
}
