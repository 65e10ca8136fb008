package org.taylorism.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.taylorism.Signal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code taylorism signal NAME}: sends a control signal to a server's Boss. */
@Command(name = "signal",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        sortOptions = false,
        description = {"Sends a control signal to a server's Boss: HALT (launch nothing more for now), RESUME, SEND_REPORT, END"
                + " (take no more batches; end once what was submitted has run), STOP (launch nothing more; end once running"
                + " workers finish), STOP_LISTENING, STOP_RIGHTNOW (kill running workers and end)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:sent", "1:internal error", "2:not a signal, one the server can no longer take, or the wrong token",
                "4:no server answers"})
final class SignalCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerChoice server;

    @Parameters(index = "0", paramLabel = "SIGNAL", description = "The signal, by name (case does not matter).")
    private String name;

    @Override
    public Integer call() {
        Signal signal = Arrays.stream(Signal.values())
                .filter(candidate -> candidate.name().equals(name.toUpperCase(Locale.ROOT).replace('-', '_'))).findFirst()
                .orElseThrow(() -> new BadInputException("'" + name + "' is not a signal; they are " + Arrays.toString(Signal.values())));
        server.client().send(signal);
        spec.commandLine().getErr().println("taylorism: " + signal + " sent");
        spec.commandLine().getErr().flush();
        return CommandLine.ExitCode.OK;
    }
}
