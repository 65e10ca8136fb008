package org.taylorism.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.taylorism.Report;
import org.taylorism.client.TaylorismClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code taylorism report BATCH}: a batch's JSON report, once it has ended (or now, with {@code --interim}). */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        sortOptions = false,
        description = "Prints the JSON report of a batch of a server: once every set of it has ended (waiting for that), or as it"
                + " stands now with --interim. Without BATCH, the report of everything the server has run and runs.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed; every set of it succeeded (or --interim)", "1:internal error",
                "2:bad input, no such batch, or the wrong token", "3:some sets did not succeed", "4:no server answers"})
final class ReportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerChoice server;

    @Parameters(index = "0", arity = "0..1", paramLabel = "BATCH", description = "A batch id, as submit printed it.")
    private String batch;

    @Option(names = "--interim", description = "The report now, without waiting for the batch to end.")
    private boolean interim;

    @Override
    public Integer call() {
        TaylorismClient client = server.client();
        Report report = batch == null ? client.getReport(true) : interim ? client.batchReport(batch) : client.waitFor(batch);
        PrintWriter out = spec.commandLine().getOut();
        out.println(report.toJson());
        out.flush();
        return interim || batch == null || report.isSuccess() ? CommandLine.ExitCode.OK : TaylorismCommand.SOME_WORKERS_FAILED;
    }
}
