package org.taylorism.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        PrintWriter out = spec.commandLine().getOut();
        List<SchedulerProvider> providers = new ArrayList<>(SchedulerProvider.available(workers.loader()));
        providers.sort((a, b) -> a.name().compareTo(b.name()));
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (SchedulerProvider provider : providers) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", provider.name());
                entry.put("description", provider.description());
                entry.put("options", provider.options());
                list.add(entry);
            }
            JsonOutput.print(out, list);
        } else {
            for (SchedulerProvider provider : providers) {
                out.println(provider.name() + "  " + provider.description());
                provider.options().forEach((option, description) -> out.println(String.format("  %-15s %s", option, description)));
                out.println();
            }
        }
        out.flush();
        return 0;
    }
}
