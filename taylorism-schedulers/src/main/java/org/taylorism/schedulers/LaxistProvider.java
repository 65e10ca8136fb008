package org.taylorism.schedulers;

import java.util.Map;
import org.taylorism.Scheduler;

/** {@code laxist}: everything at once. */
public final class LaxistProvider extends BuiltInSchedulerProvider {

    @Override
    public String name() {
        return "laxist";
    }

    @Override
    public String description() {
        return "Launches every instruction set at once.";
    }

    @Override
    Map<String, String> ownOptions() {
        return Map.of();
    }

    @Override
    Scheduler createBase(Options options) {
        return Schedulers.laxist();
    }
}
