package org.taylorism.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.taylorism.Scheduler;
import org.taylorism.spi.SchedulerProvider;

/** The contract every provider found by ServiceLoader keeps, and the errors users see. */
class SchedulerProvidersTest {

    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void everyProviderHasAUniqueNameADescriptionAndWorksWithoutOptions() {
        List<SchedulerProvider> providers = SchedulerProvider.available(loader);
        assertTrue(providers.size() >= 5, providers.toString());
        Set<String> names = new HashSet<>();
        for (SchedulerProvider provider : providers) {
            assertFalse(provider.name().isBlank(), provider.getClass().getName());
            assertTrue(names.add(provider.name()), "duplicate name " + provider.name());
            assertFalse(provider.description().isBlank(), provider.name() + " has no description");
            provider.options().forEach((option, description) -> assertFalse(description.isBlank(), provider.name() + " " + option));
            Scheduler scheduler = provider.create(Map.of());
            assertNotNull(scheduler);
            assertFalse(scheduler.name().isBlank());
        }
        assertTrue(names.containsAll(Set.of("laxist", "max-threads", "max-memory", "longer-first", "single-open-file")), names.toString());
    }

    @Test
    void optionsAreParsedAndCommonOptionsWrapAnyScheduler() {
        Scheduler scheduler = SchedulerProvider.create("max-memory",
                Map.of("max", "4G", "per-task", "512M", "resources", "licence:3,gpu:1", "bind-cpus", "true"), loader);
        assertEquals("max-memory(4096 MiB)+resources{licence=3, gpu=1}+cpu-binding", scheduler.name());
        assertEquals("exclusive(2 threads, input)", SchedulerProvider.create("single-open-file",
                Map.of("threads", "2", "exclusive", "input"), loader).name());
    }

    @Test
    void errorsNameTheSchedulerTheOptionAndTheValue() {
        IllegalArgumentException unknownName = assertThrows(IllegalArgumentException.class,
                () -> SchedulerProvider.create("fastest", Map.of(), loader));
        assertTrue(unknownName.getMessage().contains("unknown scheduler 'fastest'; available: [laxist, longer-first, max-memory,"),
                unknownName.getMessage());

        IllegalArgumentException unknownOption = assertThrows(IllegalArgumentException.class,
                () -> SchedulerProvider.create("max-threads", Map.of("thread", "2"), loader));
        assertTrue(unknownOption.getMessage().contains("scheduler max-threads: unknown option [thread]; its options are [bind-cpus, resources, threads]"),
                unknownOption.getMessage());

        IllegalArgumentException badValue = assertThrows(IllegalArgumentException.class,
                () -> SchedulerProvider.create("max-memory", Map.of("max", "lots"), loader));
        assertTrue(badValue.getMessage().contains("scheduler max-memory: option max='lots' is not a size in MiB"), badValue.getMessage());

        IllegalArgumentException badResources = assertThrows(IllegalArgumentException.class,
                () -> SchedulerProvider.create("laxist", Map.of("resources", "licence"), loader));
        assertTrue(badResources.getMessage().contains("option resources='licence' is not capacities written name:count"),
                badResources.getMessage());
    }
}
