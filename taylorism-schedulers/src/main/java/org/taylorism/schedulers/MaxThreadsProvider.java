package org.taylorism.schedulers;

import java.util.Map;
import org.taylorism.Scheduler;

/** {@code max-threads}: at most n at once, in submission order. */
public final class MaxThreadsProvider extends BuiltInSchedulerProvider {

    @Override
    public String name() {
        return "max-threads";
    }

    @Override
    public String description() {
        return "At most n workers at once, first submitted first; tickets 0..n-1.";
    }

    @Override
    Map<String, String> ownOptions() {
        return Map.of("threads", "how many workers at once; 0 means one per CPU (default 0)");
    }

    @Override
    Scheduler createBase(Options options) {
        return Schedulers.maxThreads(options.count("threads", 0));
    }
}
