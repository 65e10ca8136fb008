package org.taylorism.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import java.util.concurrent.Callable;
import org.taylorism.spi.SchedulerProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code taylorism schedulers}: every scheduler provider with its description and options. */
@Command(name = "schedulers",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        description = "Lists every scheduler found (built-in, or in --classpath jars) with its description and options,"
                + " for run --scheduler NAME --scheduler-option KEY=VALUE.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:internal error", "2:bad --classpath"})
final class SchedulersCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private WorkerOptions workers;

    @Option(names = "--json", description = "Write the list as JSON.")
    private boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        List<ProviderListing> listings = SchedulerProvider.available(workers.loader()).stream()
                .map(provider -> new ProviderListing(provider.name(), provider.description(), provider.options())).toList();
        ProviderListing.print(spec.commandLine().getOut(), listings, json);
        return 0;
    }
}
