package org.taylorism.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.Scheduler;

/**
 * A named way to make a {@link Scheduler} from text options, as the command line does with
 * {@code --scheduler max-memory --scheduler-option max=4096}. Implementations are listed in
 * {@code META-INF/services/org.taylorism.spi.SchedulerProvider} and need a public no-argument constructor.
 */
public interface SchedulerProvider {

    /** The name users type: lower case, words joined by '-'. */
    String name();

    /** One sentence for {@code taylorism schedulers}. */
    default String description() {
        return "";
    }

    /** The options {@link #create} understands, each with a one-line description. */
    default Map<String, String> options() {
        return Map.of();
    }

    /**
     * @throws IllegalArgumentException naming the option and the value at fault, or the unknown option with
     *     the known ones
     */
    Scheduler create(Map<String, String> options);

    /** Every provider {@code loader} can see, in class path order. */
    static List<SchedulerProvider> available(ClassLoader loader) {
        List<SchedulerProvider> providers = new ArrayList<>();
        ServiceLoader.load(SchedulerProvider.class, loader).forEach(providers::add);
        Logger log = LoggerFactory.getLogger(SchedulerProvider.class);
        log.debug("Loaded SchedulerProvider instances: {}", providers.stream().map(SchedulerProvider::name).toList());
        return providers;
    }

    /** The provider called {@code name}, among those {@code loader} can see. */
    static Optional<SchedulerProvider> findFirst(String name, ClassLoader loader) {
        return available(loader).stream().filter(provider -> provider.name().equals(name)).findFirst();
    }

    /**
     * The scheduler {@code name} makes from {@code options}.
     *
     * @throws IllegalArgumentException for an unknown name (listing the available ones) or bad options
     */
    static Scheduler create(String name, Map<String, String> options, ClassLoader loader) {
        List<SchedulerProvider> providers = available(loader);
        for (SchedulerProvider provider : providers) {
            if (provider.name().equals(name)) {
                return provider.create(options);
            }
        }
        throw new IllegalArgumentException("unknown scheduler '" + name + "'; available: "
                + providers.stream().map(SchedulerProvider::name).sorted().toList());
    }
}
