package org.taylorism.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code taylorism cancel NAME}: cancels one set of a server's run, pending or running. */
@Command(name = "cancel",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        sortOptions = false,
        description = "Cancels the set called NAME on a server: it never starts if it is pending; it is stopped if it runs.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:cancelled", "1:internal error", "2:nothing of that name is pending or running, or the wrong token",
                "4:no server answers"})
final class CancelCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerChoice server;

    @Parameters(index = "0", paramLabel = "NAME", description = "The set's name.")
    private String name;

    @Override
    public Integer call() {
        if (!server.client().cancel(name)) {
            throw new BadInputException("nothing called '" + name + "' is pending or running on the server");
        }
        spec.commandLine().getErr().println("taylorism: " + name + " cancelled");
        spec.commandLine().getErr().flush();
        return CommandLine.ExitCode.OK;
    }
}
