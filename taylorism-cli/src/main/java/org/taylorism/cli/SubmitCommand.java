package org.taylorism.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.taylorism.Report;
import org.taylorism.client.SubmittedBatch;
import org.taylorism.client.TaylorismClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code taylorism submit BATCH}: gives a batch to a server; with {@code --wait}, waits for its report. */
@Command(name = "submit",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        sortOptions = false,
        description = {"Submits BATCH (the same formats as run) to a server (taylorism serve) as one batch, and prints its id and"
                + " the names of its sets as JSON. With --wait, waits until every set of it has ended and prints its report instead."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:submitted (with --wait: every set succeeded)", "1:internal error",
                "2:bad input or usage, or the server refused the batch (bad sets, names it has already, the wrong token)",
                "3:with --wait: some sets did not succeed", "4:no server answers"})
final class SubmitCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private BatchOptions batch;

    @Mixin
    private ServerChoice server;

    @Option(names = "--wait", description = "Wait until the batch has ended; print its report.")
    private boolean await;

    @Override
    public Integer call() throws IOException {
        List<Map<String, Object>> sets = batch.read(System.in);
        TaylorismClient client = server.client();
        SubmittedBatch submitted = client.addInstructions(sets);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.println("taylorism: batch " + submitted.id() + " submitted to " + client.address() + ": " + submitted.names().size() + " sets");
        err.flush();
        if (!await) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("batch", submitted.id());
            answer.put("sets", submitted.names());
            JsonOutput.print(out, answer);
            return CommandLine.ExitCode.OK;
        }
        Report report = client.waitFor(submitted.id());
        out.println(report.toJson());
        out.flush();
        return report.isSuccess() ? CommandLine.ExitCode.OK : TaylorismCommand.SOME_WORKERS_FAILED;
    }
}
