package org.taylorism.schedulers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.taylorism.Scheduler;

/** {@code longer-first}: threads and memory, longest expected_time first. */
public final class LongerFirstProvider extends BuiltInSchedulerProvider {

    @Override
    public String name() {
        return "longer-first";
    }

    @Override
    public String description() {
        return "max-threads and max-memory together, the sets with the longest expected_time first.";
    }

    @Override
    Map<String, String> ownOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("threads", "how many workers at once; 0 means one per CPU (default 0)");
        options.putAll(memoryOptions());
        return options;
    }

    @Override
    Scheduler createBase(Options options) {
        return Schedulers.longerFirst(options.count("threads", 0), memoryPolicy(options));
    }
}
