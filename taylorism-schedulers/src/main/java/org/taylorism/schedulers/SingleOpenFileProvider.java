package org.taylorism.schedulers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.taylorism.Scheduler;

/** {@code single-open-file}: threads, and no file used by two running workers. */
public final class SingleOpenFileProvider extends BuiltInSchedulerProvider {

    @Override
    public String name() {
        return "single-open-file";
    }

    @Override
    public String description() {
        return "max-threads, and no two running workers share a value of fileA/fileB (or of the exclusive attributes).";
    }

    @Override
    Map<String, String> ownOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("threads", "how many workers at once; 0 means one per CPU (default 0)");
        options.put("exclusive", "attributes whose values running workers may not share (default fileA,fileB)");
        return options;
    }

    @Override
    Scheduler createBase(Options options) {
        return Schedulers.exclusive(options.count("threads", 0), options.list("exclusive", Schedulers.OPEN_FILES));
    }
}
