package org.taylorism.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.taylorism.HaltPolicy;
import org.taylorism.Reconfiguration;
import org.taylorism.RetryPolicy;
import org.taylorism.Scheduler;
import org.taylorism.spi.SchedulerProvider;

/**
 * The live settings of a run whose scheduler is a named provider's ({@code taylorism schedulers}) with options:
 * {@code max_threads} (its {@code threads} option), {@code max_memory} ({@code max}), {@code resources}, other
 * {@code scheduler_options}, and the {@code halt} and {@code retries} policies. A change builds a new scheduler of
 * the same provider with the merged options, so an option the provider refuses is refused with its words.
 */
public final class SchedulerSettings implements LiveSettings {

    static final List<String> NAMES = List.of("max_threads", "max_memory", "resources", "scheduler_options", "halt", "retries");

    private final String scheduler;
    private final ClassLoader loader;
    private Map<String, String> options;
    private HaltPolicy haltPolicy;
    private RetryPolicy retryPolicy;

    /**
     * @param scheduler the scheduler provider's name, such as {@code max-threads}
     * @param options its options as the run started with them
     * @param loader where providers are looked for
     */
    public SchedulerSettings(String scheduler, Map<String, String> options, ClassLoader loader, HaltPolicy haltPolicy,
                             RetryPolicy retryPolicy) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.options = Map.copyOf(options);
        this.loader = loader;
        this.haltPolicy = Objects.requireNonNull(haltPolicy, "haltPolicy");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    }

    @Override
    public Map<String, Object> current() {
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("scheduler", scheduler);
        current.put("scheduler_options", new LinkedHashMap<>(options));
        current.put("max_threads", options.containsKey("threads") ? Integer.valueOf(options.get("threads")) : 0);
        current.put("max_memory", options.get("max"));
        current.put("resources", options.get("resources"));
        current.put("halt", haltPolicy.toString());
        current.put("retries", retryPolicy.maxAttempts() - 1);
        return current;
    }

    @Override
    public Reconfiguration change(Map<String, ?> changes) {
        Map<String, String> nextOptions = new LinkedHashMap<>(options);
        HaltPolicy nextHalt = null;
        RetryPolicy nextRetry = null;
        boolean schedulerChanged = false;
        for (Map.Entry<String, ?> change : changes.entrySet()) {
            String name = change.getKey();
            Object value = change.getValue();
            switch (name) {
                case "max_threads" -> nextOptions.put("threads", String.valueOf(count(name, value)));
                case "max_memory" -> nextOptions.put("max", text(name, value));
                case "resources" -> nextOptions.put("resources", text(name, value));
                case "scheduler_options" -> nextOptions.putAll(options(value));
                case "halt" -> nextHalt = halt(text(name, value));
                case "retries" -> nextRetry = retries(name, count(name, value));
                default -> throw new IllegalArgumentException("'" + name + "' is not a setting; they are " + String.join(", ", NAMES));
            }
            schedulerChanged |= name.equals("max_threads") || name.equals("max_memory") || name.equals("resources")
                    || name.equals("scheduler_options");
        }
        Reconfiguration reconfiguration = Reconfiguration.none();
        if (schedulerChanged) {
            Scheduler next = SchedulerProvider.create(scheduler, nextOptions, loader);
            reconfiguration = reconfiguration.withScheduler(next);
        }
        if (nextHalt != null) {
            reconfiguration = reconfiguration.withHaltPolicy(nextHalt);
        }
        if (nextRetry != null) {
            reconfiguration = reconfiguration.withRetryPolicy(nextRetry);
        }
        // All checked: only now is anything kept.
        options = Map.copyOf(nextOptions);
        haltPolicy = nextHalt != null ? nextHalt : haltPolicy;
        retryPolicy = nextRetry != null ? nextRetry : retryPolicy;
        return reconfiguration;
    }

    private static int count(String name, Object value) {
        if (value instanceof Number number && number.doubleValue() == number.intValue() && number.intValue() >= 0) {
            return number.intValue();
        }
        if (value instanceof String text && text.strip().matches("\\d{1,9}")) {
            return Integer.parseInt(text.strip());
        }
        throw new IllegalArgumentException(name + " must be a whole number, 0 or more, not " + describe(value));
    }

    private static String text(String name, Object value) {
        if (value instanceof String || value instanceof Number) {
            return String.valueOf(value).strip();
        }
        throw new IllegalArgumentException(name + " must be a string, not " + describe(value));
    }

    private static Map<String, String> options(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("scheduler_options must be an object of option names and values, not " + describe(value));
        }
        Map<String, String> options = new LinkedHashMap<>();
        map.forEach((key, option) -> options.put(String.valueOf(key), text("scheduler_options." + key, option)));
        return options;
    }

    private static HaltPolicy halt(String text) {
        try {
            return HaltPolicy.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("halt: " + e.getMessage(), e);
        }
    }

    /** The same retry policy with another number of retries; from none, the command line's defaults. */
    private RetryPolicy retries(String name, int retries) {
        if (retries == Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be at most " + (Integer.MAX_VALUE - 1) + " (its attempts are one"
                    + " more), not " + retries);
        }
        if (retries == 0) {
            return RetryPolicy.NONE;
        }
        RetryPolicy base = retryPolicy.maxAttempts() > 1 ? retryPolicy
                : RetryPolicy.attempts(2).withBackoff(Duration.ofSeconds(1), 2);
        return new RetryPolicy(retries + 1, base.backoff(), base.backoffMultiplier(), base.retryOn(), base.retryExitCodes(),
                base.retryExceptionTypes(), base.memoryFactor(), base.timeoutFactor());
    }

    private static String describe(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
}
