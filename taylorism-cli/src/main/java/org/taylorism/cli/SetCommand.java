package org.taylorism.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.taylorism.client.TaylorismClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code taylorism set max-threads=8 ...}: changes a server's live settings; without any, prints them. */
@Command(name = "set",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        sortOptions = false,
        description = {"Changes settings of a server's run while it goes on, from its next scheduling round: max-threads=N,"
                + " max-memory=SIZE, resources=NAME=COUNT,..., halt=POLICY (as run's --halt), retries=N, or any option of its"
                + " scheduler as scheduler.KEY=VALUE. All or nothing: a bad one changes none. Without any, prints the settings.",
                "Prints the settings as they are then, as JSON."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:changed (or shown)", "1:internal error", "2:a bad setting or value (nothing changed), or the wrong token",
                "4:no server answers"})
final class SetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerChoice server;

    @Parameters(paramLabel = "SETTING=VALUE", arity = "0..*", description = "A setting and its new value.")
    private List<String> settings = List.of();

    @Override
    public Integer call() throws IOException {
        Map<String, Object> changes = new LinkedHashMap<>();
        Map<String, Object> schedulerOptions = new LinkedHashMap<>();
        for (String setting : settings) {
            int equals = setting.indexOf('=');
            if (equals <= 0) {
                throw new BadInputException("'" + setting + "' is not SETTING=VALUE (e.g. max-threads=8)");
            }
            String key = setting.substring(0, equals).strip().replace('-', '_');
            String value = setting.substring(equals + 1).strip();
            if (key.startsWith("scheduler.")) {
                schedulerOptions.put(key.substring("scheduler.".length()), value);
            } else {
                changes.put(key, value.matches("\\d{1,9}") ? (Object) Integer.valueOf(value) : value);
            }
        }
        if (!schedulerOptions.isEmpty()) {
            changes.put("scheduler_options", schedulerOptions);
        }
        TaylorismClient client = server.client();
        JsonOutput.print(spec.commandLine().getOut(), changes.isEmpty() ? client.settings() : client.reconfigure(changes));
        return CommandLine.ExitCode.OK;
    }
}
