package org.taylorism.schedulers;

import java.util.Map;
import org.taylorism.Scheduler;

/** {@code max-memory}: within a budget of declared memory, first fit. */
public final class MaxMemoryProvider extends BuiltInSchedulerProvider {

    @Override
    public String name() {
        return "max-memory";
    }

    @Override
    public String description() {
        return "Launches while the declared memory of running workers stays within a budget; smaller later sets may overtake.";
    }

    @Override
    Map<String, String> ownOptions() {
        return memoryOptions();
    }

    @Override
    Scheduler createBase(Options options) {
        return Schedulers.maxMemory(memoryPolicy(options));
    }
}
