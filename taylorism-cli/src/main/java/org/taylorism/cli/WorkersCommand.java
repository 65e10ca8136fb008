package org.taylorism.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.taylorism.AttributeInfo;
import org.taylorism.WorkerType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code taylorism workers}: every worker class found, with its footprint. */
@Command(name = "workers",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        description = "Lists every worker class found (built-in, on the class path, or in --classpath jars) with its footprint:"
                + " attributes, types, defaults, allowed values, aliases, priority.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:internal error", "2:bad --classpath"})
final class WorkersCommand implements Callable<Integer> {

    /** Attributes every worker has; listed once rather than under every class. */
    static final Set<String> BUILT_IN = Set.of("name", "memory", "expected_time", "resources", "not_before");

    @Spec
    private CommandSpec spec;

    @Mixin
    private WorkerOptions workers;

    @Option(names = "--json", description = "Write the list as JSON.")
    private boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        List<WorkerType> types = workers.registry().types();
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (WorkerType type : types) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", type.name());
                entry.put("class", type.javaClass().getName());
                entry.put("priority", type.priority().name());
                entry.put("info", type.info());
                entry.put("attributes", type.attributes());
                list.add(entry);
            }
            JsonOutput.print(out, list);
            return 0;
        }
        for (WorkerType type : types) {
            out.println(type.name() + "  (" + type.javaClass().getName() + ", priority " + type.priority() + ")");
            if (!type.info().isEmpty()) {
                out.println("  " + type.info());
            }
            for (AttributeInfo attribute : type.attributes()) {
                if (!BUILT_IN.contains(attribute.key())) {
                    out.println("  " + describe(attribute));
                }
            }
            out.println();
        }
        out.println("Every worker also takes: name, memory (MiB), expected_time (s), resources ({\"licence\": 1}), not_before (s or time).");
        out.flush();
        return 0;
    }

    private static String describe(AttributeInfo attribute) {
        StringBuilder line = new StringBuilder(String.format("%-18s %-14s %s", attribute.key(), attribute.type(),
                !attribute.optional() ? "mandatory" : attribute.defaultValue() != null ? "default " + show(attribute.defaultValue()) : "optional"));
        if (!attribute.values().isEmpty()) {
            line.append(", one of ").append(attribute.values());
        }
        if (!attribute.outcast().isEmpty()) {
            line.append(", never ").append(attribute.outcast());
        }
        if (!attribute.remap().isEmpty()) {
            line.append(", remap ").append(attribute.remap());
        }
        if (!attribute.aliases().isEmpty()) {
            line.append(", also as ").append(attribute.aliases());
        }
        if (!attribute.info().isEmpty()) {
            line.append(" - ").append(attribute.info());
        }
        return line.toString();
    }

    private static String show(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
}
