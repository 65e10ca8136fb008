package org.taylorism.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taylorism.Scheduler;
import org.taylorism.spi.SchedulerProvider;
import picocli.CommandLine.Option;

/** Which scheduler decides: {@code --scheduler}, its options, and the common shortcuts. */
final class SchedulingOptions {

    @Option(names = "--scheduler", paramLabel = "NAME",
            description = "The scheduler, by name (see 'taylorism schedulers'). Default: max-threads, or longer-first with --max-memory.")
    String name;

    @Option(names = "--scheduler-option", paramLabel = "KEY=VALUE", description = "An option of the scheduler, e.g. max=4096; repeatable.")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = {"-j", "--max-threads"}, paramLabel = "N",
            description = "At most N workers at once; 0 means one per CPU (the default). The scheduler's threads option.")
    Integer maxThreads;

    @Option(names = "--max-memory", paramLabel = "SIZE",
            description = "Memory budget for the declared 'memory' of running workers (4096, 512M, 16G). The scheduler's max option.")
    String maxMemory;

    @Option(names = "--resources", paramLabel = "NAME=COUNT", split = ",",
            description = "Named resources and their capacities (licence=3,gpu=1); a set holds its \"resources\" while it runs.")
    List<String> resources = new ArrayList<>();

    /** Whether the user said anything about scheduling; if not, the launcher's default scheduler decides. */
    boolean chosen() {
        return name != null || maxThreads != null || maxMemory != null || !options.isEmpty() || !resources.isEmpty();
    }

    Scheduler scheduler(ClassLoader loader) {
        try {
            return SchedulerProvider.create(chosenName(), chosenOptions(), loader);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    /** The scheduler's provider name, as given or by default. */
    String chosenName() {
        return name != null ? name : maxMemory != null ? "longer-first" : "max-threads";
    }

    /** The scheduler's options: --scheduler-option, with the shortcuts' values where those do not say. */
    Map<String, String> chosenOptions() {
        if (maxThreads != null && maxThreads < 0) {
            throw new BadInputException("--max-threads must be 0 or more, not " + maxThreads);
        }
        Map<String, String> all = new LinkedHashMap<>(options);
        if (maxThreads != null) {
            shortcut(all, "-j/--max-threads", "threads", String.valueOf(maxThreads));
        }
        if (maxMemory != null) {
            shortcut(all, "--max-memory", "max", maxMemory);
        }
        if (!resources.isEmpty()) {
            shortcut(all, "--resources", "resources", String.join(",", resources));
        }
        return all;
    }

    /** Puts a shortcut's value; the same option given another value with --scheduler-option is refused, not dropped. */
    private static void shortcut(Map<String, String> all, String shortcut, String key, String value) {
        String given = all.putIfAbsent(key, value);
        if (given != null && !given.equals(value)) {
            throw new BadInputException(shortcut + " " + value + " and --scheduler-option " + key + "=" + given
                    + " say two things of one option: give one");
        }
    }
}
