package org.taylorism.schedulers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.taylorism.Scheduler;
import org.taylorism.spi.SchedulerProvider;

/**
 * What every built-in provider shares: the options {@code resources} (named resources, e.g.
 * {@code licence:3,gpu:1}) and {@code bind-cpus} (pin each worker to a CPU by its ticket), which wrap
 * whatever scheduler the provider makes.
 */
abstract class BuiltInSchedulerProvider implements SchedulerProvider {

    private static final Map<String, String> COMMON_OPTIONS = Map.of(
            "resources", "named resources and their capacities, e.g. licence:3,gpu:1; a set holds its \"resources\" while it runs",
            "bind-cpus", "true to pin each worker to one CPU by its ticket, in socket-packed order");

    /** The provider's own options with their descriptions. */
    abstract Map<String, String> ownOptions();

    abstract Scheduler createBase(Options options);

    @Override
    public final Map<String, String> options() {
        Map<String, String> all = new LinkedHashMap<>(ownOptions());
        all.putAll(COMMON_OPTIONS);
        return all;
    }

    @Override
    public final Scheduler create(Map<String, String> options) {
        Options parsed = new Options(name(), options, options().keySet());
        Scheduler scheduler = createBase(parsed);
        if (parsed.has("resources")) {
            scheduler = Schedulers.withResources(scheduler, parsed.capacities("resources"));
        }
        if (parsed.flag("bind-cpus")) {
            scheduler = Schedulers.withCpuBinding(scheduler);
        }
        return scheduler;
    }

    static MemoryPolicy memoryPolicy(Options options) {
        MemoryPolicy defaults = MemoryPolicy.defaults();
        MemoryPolicy policy = new MemoryPolicy(options.mebibytes("max", defaults.maxMb()),
                options.mebibytes("per-task", defaults.perTaskMb()), false, defaults.safetyMarginMb(),
                options.count("max-overtakes", defaults.maxOvertakes()));
        if (options.flag("live-headroom")) {
            policy = policy.withLiveHeadroom(options.mebibytes("safety-margin", defaults.safetyMarginMb()));
        }
        return policy;
    }

    static Map<String, String> memoryOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("max", "memory budget: the declared memory of running workers stays within it (default 75% of RAM); 4096, 512M, 4G");
        options.put("per-task", "memory counted for a set without \"memory\" (default 2048 MiB)");
        options.put("live-headroom", "true to also require the set to fit in the memory available now (MemAvailable)");
        options.put("safety-margin", "memory kept free with live-headroom (default 512 MiB)");
        options.put("max-overtakes", "times a waiting set may be overtaken by smaller later ones (default 10)");
        return options;
    }
}
