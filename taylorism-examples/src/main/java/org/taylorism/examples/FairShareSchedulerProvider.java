package org.taylorism.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import org.taylorism.Scheduler;
import org.taylorism.spi.SchedulerProvider;

/**
 * Makes {@link FairShareScheduler} available by name ({@code --scheduler fair-share}); listed in
 * {@code META-INF/services/org.taylorism.spi.SchedulerProvider}.
 */
public final class FairShareSchedulerProvider implements SchedulerProvider {

    @Override
    public String name() {
        return "fair-share";
    }

    @Override
    public String description() {
        return "At most n workers, shared fairly between the values of one attribute (an example of a scheduler of one's own).";
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("threads", "how many workers at once (default 2)");
        options.put("key", "the attribute whose values share the threads (default user)");
        return options;
    }

    @Override
    public Scheduler create(Map<String, String> options) {
        for (String option : options.keySet()) {
            if (!options().containsKey(option)) {
                throw new IllegalArgumentException("scheduler fair-share: unknown option '" + option + "'; its options are " + options().keySet());
            }
        }
        String threads = options.getOrDefault("threads", "2");
        try {
            return new FairShareScheduler(Integer.parseInt(threads.trim()), options.getOrDefault("key", "user"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("scheduler fair-share: option threads='" + threads + "' is not a whole number");
        }
    }
}
