package org.taylorism;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.internal.Names;

/**
 * The worker classes an instruction set can be matched to.
 *
 * <p>Classes are registered explicitly or discovered through {@link ServiceLoader}: every
 * {@code META-INF/services/org.taylorism.Worker} file on the class path lists worker classes, which are
 * loaded but never instantiated here. The built-in {@link CommandWorker} is always present.
 *
 * <pre>{@code
 * WorkerRegistry registry = WorkerRegistry.builder().register(Sleeper.class).build();
 * WorkerRegistry.Match match = registry.match(Map.of("sleeping_time", 2));
 * }</pre>
 */
public final class WorkerRegistry {

    private static final Logger log = LoggerFactory.getLogger(WorkerRegistry.class);

    private static final Comparator<WorkerRegistry.Match> BEST_FIRST = Comparator
            .comparing((Match m) -> m.type().priority()).reversed()
            .thenComparing(Comparator.comparingInt(Match::supplied).reversed())
            .thenComparing(m -> m.type().javaClass().getName());

    private final List<WorkerType> types;
    private final ClassLoader classLoader;

    private WorkerRegistry(List<WorkerType> types, ClassLoader classLoader) {
        this.types = List.copyOf(types);
        this.classLoader = classLoader;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The built-in command worker plus every worker class listed for {@link ServiceLoader} by {@code loader}. */
    public static WorkerRegistry discover(ClassLoader loader) {
        return builder().discover(loader).build();
    }

    /** {@link #discover(ClassLoader)} with the class loader that loaded taylorism. */
    public static WorkerRegistry discover() {
        return discover(WorkerRegistry.class.getClassLoader());
    }

    /** The registered classes, in registration order. */
    public List<WorkerType> types() {
        return types;
    }

    /** The class loader that resolves the registered classes (a worker process must see the same classes). */
    public ClassLoader classLoader() {
        return classLoader;
    }

    /**
     * The best worker class for one instruction set: highest priority, then most attributes supplied, then
     * (on a tie) the first class name in alphabetical order.
     *
     * @throws InstructionsException naming every candidate class and why it was rejected
     */
    public Match match(Map<String, Object> instructions) {
        Match chosen = choose(instructions, null);
        if (chosen == null) {
            throw new InstructionsException(List.of(explain(instructions).describeRejections(instructions)));
        }
        return chosen;
    }

    /** How every registered class fits one instruction set, without failing. */
    public Explanation explain(Map<String, Object> instructions) {
        Map<String, List<String>> rejections = new LinkedHashMap<>();
        Match chosen = choose(instructions, rejections);
        return new Explanation(chosen, rejections);
    }

    /**
     * The class that fits {@code instructions} best, or null for none; when {@code rejections} is given, every other
     * class's reasons are put there. Without it (a set matched at submission, thousands a second), a class that does
     * not fit is not asked why.
     */
    private Match choose(Map<String, Object> instructions, Map<String, List<String>> rejections) {
        Match best = null;
        List<Match> others = null; // the other classes that fit, when more than one does
        for (WorkerType type : types) {
            WorkerType.Fit fit = type.fit(instructions, rejections != null);
            if (fit instanceof WorkerType.Fits fits) {
                Match match = new Match(type, fits.values(), fits.supplied(), unknownKeys(instructions, fits), List.of());
                boolean better = best == null || BEST_FIRST.compare(match, best) < 0;
                if (best != null) {
                    others = others == null ? new ArrayList<>() : others;
                    others.add(better ? best : match);
                }
                best = better ? match : best;
            } else if (rejections != null) {
                rejections.put(type.name(), ((WorkerType.Misfit) fit).reasons());
            }
        }
        if (others == null) {
            return best;
        }
        others.sort(BEST_FIRST);
        List<WorkerType> tied = new ArrayList<>();
        for (Match other : others) {
            if (other.type().priority() == best.type().priority() && other.supplied() == best.supplied()) {
                tied.add(other.type());
            }
            if (rejections != null) {
                rejections.put(other.type().name(), List.of("fits, but " + best.type().name() + " fits better"
                        + " (priority " + other.type().priority() + " with " + other.supplied() + " attributes supplied)"));
            }
        }
        return tied.isEmpty() ? best : new Match(best.type(), best.values(), best.supplied(), best.unknownKeys(), List.copyOf(tied));
    }

    private static Set<String> unknownKeys(Map<String, Object> instructions, WorkerType.Fits fits) {
        Set<String> unknown = null; // every key read is the common case: no set to make
        for (String key : instructions.keySet()) {
            if (!fits.reads(key)) {
                unknown = unknown == null ? new LinkedHashSet<>() : unknown;
                unknown.add(key);
            }
        }
        return unknown == null ? Set.of() : Collections.unmodifiableSet(unknown);
    }

    /**
     * The class chosen for one instruction set.
     *
     * @param type the chosen class
     * @param values the converted attribute values by key, defaults included
     * @param supplied how many of its attributes the instruction set supplied
     * @param unknownKeys keys of the instruction set that no attribute of the chosen class reads (typos?)
     * @param tiedWith other classes that fit with the same priority and count; the choice among them is
     *     alphabetical by class name
     */
    public record Match(WorkerType type, Map<String, Object> values, int supplied, Set<String> unknownKeys,
                        List<WorkerType> tiedWith) {
    }

    /**
     * How the registry sees one instruction set.
     *
     * @param match the chosen class, or null when none fits
     * @param rejections for every other class, the reasons it was not chosen
     */
    public record Explanation(Match match, Map<String, List<String>> rejections) {

        String describeRejections(Map<String, Object> instructions) {
            StringBuilder text = new StringBuilder("no worker class fits ").append(Names.show(instructions)).append(':');
            rejections.forEach((name, reasons) -> text.append("\n      ").append(name).append(": ").append(String.join("; ", reasons)));
            if (rejections.isEmpty()) {
                text.append(" no worker class is registered");
            } else if (rejections.keySet().equals(java.util.Set.of("command")) && !instructions.containsKey("command")) {
                text.append("\n      (the built-in command worker is the only one known here: put your worker classes on the class path,"
                        + " with --classpath JARS on the command line, or give the set a \"command\")");
            }
            return text.toString();
        }
    }

    /** Collects worker classes; each is validated when registered. */
    public static final class Builder {

        private final Map<Class<? extends Worker>, WorkerType> types = new LinkedHashMap<>();
        private ClassLoader classLoader = WorkerRegistry.class.getClassLoader();

        private Builder() {
            types.put(CommandWorker.class, WorkerType.of(CommandWorker.class));
        }

        /**
         * Adds a worker class.
         *
         * @throws IllegalArgumentException naming the class and field when its footprint is malformed
         */
        public Builder register(Class<? extends Worker> workerClass) {
            types.computeIfAbsent(workerClass, WorkerType::of);
            return this;
        }

        /**
         * Leaves the built-in {@link CommandWorker} out: no set can name a program to run (a server that runs only
         * the worker classes it was given).
         */
        public Builder withoutCommandWorker() {
            types.remove(CommandWorker.class);
            return this;
        }

        /** Adds every worker class that {@code loader} lists in {@code META-INF/services/org.taylorism.Worker}. */
        public Builder discover(ClassLoader loader) {
            this.classLoader = loader;
            List<String> found = new ArrayList<>();
            ServiceLoader.load(Worker.class, loader).stream().forEach(provider -> {
                Class<? extends Worker> type = provider.type();
                register(type);
                found.add(type.getName());
            });
            log.debug("Loaded worker classes: {}", found);
            return this;
        }

        public WorkerRegistry build() {
            return new WorkerRegistry(new ArrayList<>(types.values()), classLoader);
        }
    }
}
