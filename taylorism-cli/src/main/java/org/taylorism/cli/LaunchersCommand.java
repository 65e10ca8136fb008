package org.taylorism.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.taylorism.spi.LauncherProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code taylorism launchers}: the built-in launchers and every launcher provider, with their options. */
@Command(name = "launchers",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        description = "Lists the ways workers can be started, for run --launcher NAME --launcher-option KEY=VALUE.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:internal error", "2:bad --classpath"})
final class LaunchersCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private WorkerOptions workers;

    @Option(names = "--json", description = "Write the list as JSON.")
    private boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        List<ProviderListing> listings = new ArrayList<>();
        listings.add(new ProviderListing("local", "Every worker is a fresh process of this machine (the default).", Map.of()));
        listings.add(new ProviderListing("pool", "Java workers run in long-lived JVMs, one task at a time each (run --pool-max-tasks).",
                Map.of()));
        LauncherProvider.available(workers.loader())
                .forEach(provider -> listings.add(new ProviderListing(provider.name(), provider.description(), provider.options())));
        ProviderListing.print(spec.commandLine().getOut(), listings, json);
        return 0;
    }
}
