package org.taylorism.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named way to make a {@link WorkerLauncher} from text options, as the command line does with
 * {@code --launcher slurm --launcher-option partition=short}. Implementations are listed in
 * {@code META-INF/services/org.taylorism.spi.LauncherProvider} and need a public no-argument constructor.
 * The built-in {@code local} and {@code pool} launchers are not providers: the command line knows them.
 */
public interface LauncherProvider {

    /** The name users type: lower case, words joined by '-'. */
    String name();

    /** One sentence for the command line's help. */
    default String description() {
        return "";
    }

    /** The options {@link #create} understands, each with a one-line description. */
    default Map<String, String> options() {
        return Map.of();
    }

    /**
     * @param slots the number of workers the user allows at once, 0 when not said
     * @throws IllegalArgumentException naming the option and the value at fault, or the unknown option with
     *     the known ones
     * @throws IllegalStateException when what the launcher needs is not there (a cluster that does not answer)
     */
    WorkerLauncher create(Map<String, String> options, int slots);

    /** Every provider {@code loader} can see, in class path order. */
    static List<LauncherProvider> available(ClassLoader loader) {
        List<LauncherProvider> providers = new ArrayList<>();
        ServiceLoader.load(LauncherProvider.class, loader).forEach(providers::add);
        Logger log = LoggerFactory.getLogger(LauncherProvider.class);
        log.debug("Loaded LauncherProvider instances: {}", providers.stream().map(LauncherProvider::name).toList());
        return providers;
    }
}
