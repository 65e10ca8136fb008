package org.taylorism.internal.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.InstructionsException;
import org.taylorism.ResultReference;
import org.taylorism.Task;
import org.taylorism.WorkerRegistry;
import org.taylorism.WorkerType;
import org.taylorism.internal.CompactMap;

/**
 * Turns instruction sets into tasks, in the caller's thread, before anything is queued: each set is matched to
 * its worker class, its built-in values checked, its {@code not_before} read, and it is named and numbered. A
 * batch with a bad set is refused whole, naming each bad set and why; keys no attribute reads and ties between
 * classes are logged once per batch. For a run that is recorded in a store, each task also gets a digest of
 * what it is (its worker type and resolved instructions), the base of its stable key. Pure but for the
 * numbering and the logs.
 */
final class Intake {

    private static final Logger log = LoggerFactory.getLogger(Intake.class);
    private static final int MAX_PROBLEMS_LISTED = 20;

    private final WorkerRegistry registry;
    private final Supplier<Set<String>> schedulerKeys;
    private final Clock clock;
    private final AtomicLong nextId;
    private final boolean digested;
    /** The names of the sets accepted so far: what an {@code after} may name. */
    private final NameIndex names = new NameIndex();

    /**
     * Matched sets as tasks, in order, with their digests when asked for (else an empty list), and the {@code after}
     * of those that have one, by task id.
     */
    record Batch(List<Task> tasks, List<String> digests, Map<Long, After> waits) {
    }

    /**
     * @param schedulerKeys the instruction keys the scheduler reads, which no attribute needs to read
     * @param nextId the next task id; shared by every batch of the run
     */
    Intake(WorkerRegistry registry, Supplier<Set<String>> schedulerKeys, Clock clock, AtomicLong nextId) {
        this(registry, schedulerKeys, clock, nextId, false);
    }

    /** @param digested whether each task gets a digest: a run store keys its sets with them */
    Intake(WorkerRegistry registry, Supplier<Set<String>> schedulerKeys, Clock clock, AtomicLong nextId, boolean digested) {
        this.registry = registry;
        this.schedulerKeys = schedulerKeys;
        this.clock = clock;
        this.nextId = nextId;
        this.digested = digested;
    }

    /** Every name submitted so far. */
    NameIndex names() {
        return names;
    }

    /**
     * The tasks of {@code instructionSets}, in order.
     *
     * @throws InstructionsException naming each set that fits no worker class or has a bad value
     */
    List<Task> accept(List<? extends Map<String, ?>> instructionSets) {
        return batch(instructionSets).tasks();
    }

    /** {@link #accept}, with the digests of a run that a store records. */
    Batch batch(List<? extends Map<String, ?>> instructionSets) {
        return batch(instructionSets, "");
    }

    /**
     * {@link #batch(List)}, each task's name (given or generated) after {@code namePrefix}: sub-tasks are named
     * under their parent, {@code PARENT/NAME}.
     */
    Batch batch(List<? extends Map<String, ?>> instructionSets, String namePrefix) {
        Set<String> readByScheduler = schedulerKeys.get();
        Instant now = clock.instant();
        List<Task> tasks = new ArrayList<>(instructionSets.size());
        List<Integer> numbers = new ArrayList<>(instructionSets.size());
        List<String> digests = digested ? new ArrayList<>(instructionSets.size()) : List.of();
        SetDigest digest = digested ? new SetDigest() : null;
        Problems problems = new Problems();
        Map<String, List<Integer>> unknownKeys = new LinkedHashMap<>();
        Map<String, List<Integer>> ties = new LinkedHashMap<>();
        // A repeated name is refused here, whatever the timing: at launch it would fail only if both ran at once.
        Map<String, Integer> numberOfName = new java.util.HashMap<>();
        for (int i = 0; i < instructionSets.size(); i++) {
            int number = i + 1;
            @SuppressWarnings("unchecked")
            Map<String, Object> set = withSetNumber((Map<String, Object>) instructionSets.get(i), number);
            WorkerRegistry.Match match;
            Instant notBefore;
            try {
                String problem = badKey(set);
                problem = problem != null ? problem : readsIntoBuiltIn(set);
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
                match = registry.match(set);
                String badValue = BuiltInValues.problem(match.values());
                if (badValue != null) {
                    throw new IllegalArgumentException(badValue);
                }
                Object wanted = match.values().get("not_before");
                notBefore = wanted == null ? null : NotBefore.parse((String) wanted, now, clock.getZone());
            } catch (InstructionsException | IllegalArgumentException e) {
                problems.add(number, e.getMessage());
                continue;
            }
            noteOddities(match, readByScheduler, number, unknownKeys, ties);
            Task task = task(set, match, notBefore, namePrefix, now);
            Integer first = numberOfName.putIfAbsent(task.name(), number);
            if (first != null) {
                problems.add(number, "its name '" + task.name() + "' is the name of instruction set #" + first
                        + " too: names must be unique (leave 'name' out to have one made)");
                continue;
            }
            tasks.add(task);
            numbers.add(number);
            if (digested) {
                digests.add(digest.of(match, set));
            }
        }
        if (digest != null) {
            digest.close();
        }
        Map<Long, After> waits = afters(tasks, numbers, !namePrefix.isEmpty(), problems);
        problems.throwIfAny();
        names.addAll(numberOfName.keySet());
        unknownKeys.forEach((what, sets) -> log.warn("Unknown keys ignored: {} (instruction sets {})", what, shortList(sets)));
        ties.forEach((what, sets) -> log.warn("Ambiguous instructions, same priority and attribute count: {} by class name"
                + " (instruction sets {})", what, shortList(sets)));
        return new Batch(tasks, digests, waits);
    }

    /**
     * The {@code after} of each task that has one, read and resolved to the names of sets accepted before or in this
     * batch; a bad one, and a cycle among the batch's sets, is a problem of the set.
     */
    private Map<Long, After> afters(List<Task> tasks, List<Integer> numbers, boolean subTasks, Problems problems) {
        Map<Long, After> waits = new HashMap<>();
        After.Names resolver = null;
        Set<String> batchNames = null;
        for (int i = 0; i < tasks.size(); i++) {
            Task task = tasks.get(i);
            Object after = task.values().get(After.KEY);
            boolean reads = ResultReference.in(task.instructions());
            if (reads && after == null) {
                problems.add(numbers.get(i), "it reads what other sets give (" + ResultReference.all(task.instructions()).get(0)
                        + ") but waits for none: give it an 'after'");
                continue;
            }
            if (after == null) {
                continue;
            }
            if (subTasks) {
                problems.add(numbers.get(i), "a sub-task cannot wait for other sets ('after'): its parent submits it when it is due");
                continue;
            }
            if (resolver == null) {
                batchNames = new LinkedHashSet<>();
                for (Task each : tasks) {
                    batchNames.add(each.name());
                }
                resolver = new After.Names(names, batchNames);
            }
            try {
                After parsed = After.parse(after, task.name(), resolver);
                waits.put(task.id(), reads ? parsed.reading(task.instructions()) : parsed);
            } catch (IllegalArgumentException e) {
                problems.add(numbers.get(i), e.getMessage());
            }
        }
        if (!waits.isEmpty()) {
            List<String> cycle = Cycles.find(tasks, waits, batchNames);
            if (!cycle.isEmpty()) {
                problems.add(numbers.get(tasks.stream().map(Task::name).toList().indexOf(cycle.get(0))),
                        "its 'after' makes a cycle: " + String.join(" -> ", cycle) + " (each waits for the next)");
            }
        }
        return waits;
    }

    /** The task of one matched set: numbered, and named ({@code <worker>-<id>}) when the set has no name. */
    private Task task(Map<String, Object> set, WorkerRegistry.Match match, Instant notBefore, String namePrefix, Instant now) {
        long id = nextId.getAndIncrement();
        Map<String, Object> values = match.values();
        String given = (String) values.get("name");
        String unprefixed = given != null ? given : match.type().name().toLowerCase(Locale.ROOT) + "-" + id;
        String name = namePrefix.isEmpty() ? unprefixed : namePrefix + unprefixed;
        if (!name.equals(given)) {
            values = CompactMap.with(values, "name", name);
        }
        if (set.get("name") != null && !name.equals(set.get("name"))) {
            // Reports show the name the worker had, not the template it came from.
            set = CompactMap.with(set, "name", name);
        }
        return new Task(id, name, match.type(), set, values, notBefore, 1, now);
    }

    /**
     * A read-only copy of {@code set} with {@code [#]} in its text values replaced by its number in its batch (parallel's
     * {@code {#}}); compact, for it is held as long as the task's report.
     */
    private static Map<String, Object> withSetNumber(Map<String, Object> set, int number) {
        String text = Integer.toString(number);
        return CompactMap.copyOf(set, value -> numbered(value, text));
    }

    private static Object numbered(Object value, String number) {
        if (value instanceof String text) {
            return text.contains("[#]") ? text.replace("[#]", number) : text;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(element -> copy.add(numbered(element, number)));
            return copy;
        }
        return value;
    }

    /** Built-in keys whose values are needed before the set is due, so before any other set's result. */
    private static final List<String> NEEDED_BEFORE_RESULTS = List.of("name", "memory", "expected_time", "resources",
            "not_before", "timeout", "stall_timeout", After.KEY);

    /** The first built-in key whose value reads other sets' results, as a problem; null when none does. */
    /**
     * A key that is not text (a set built in Java: JSON's keys always are), or null: no attribute reads it, and the
     * set's report could not be written as JSON.
     */
    private static String badKey(Map<String, Object> instructions) {
        for (Object key : instructions.keySet()) {
            if (!(key instanceof String)) {
                return "its key " + (key == null ? "null" : key + " (a " + key.getClass().getName() + ")") + " is not text";
            }
        }
        return null;
    }

    private static String readsIntoBuiltIn(Map<String, Object> instructions) {
        for (String key : NEEDED_BEFORE_RESULTS) {
            if (ResultReference.in(instructions.get(key))) {
                return "'" + key + "' cannot take what other sets give (" + ResultReference.all(instructions.get(key)).get(0)
                        + "): it is needed before they end";
            }
        }
        return null;
    }

    private static void noteOddities(WorkerRegistry.Match match, Set<String> readByScheduler, int number,
                                     Map<String, List<Integer>> unknownKeys, Map<String, List<Integer>> ties) {
        if (!match.unknownKeys().isEmpty()) {
            Set<String> unknown = new LinkedHashSet<>(match.unknownKeys());
            unknown.removeAll(readByScheduler);
            if (!unknown.isEmpty()) {
                unknownKeys.computeIfAbsent(match.type().name() + " does not read " + unknown, k -> new ArrayList<>()).add(number);
            }
        }
        if (!match.tiedWith().isEmpty()) {
            ties.computeIfAbsent(match.type().name() + " chosen over "
                    + match.tiedWith().stream().map(WorkerType::name).toList(), k -> new ArrayList<>()).add(number);
        }
    }

    private static String shortList(List<Integer> numbers) {
        return numbers.size() <= 10 ? numbers.toString()
                : numbers.subList(0, 10).toString().replace("]", ", ... " + numbers.size() + " in all]");
    }

    /** What is wrong with a batch, by set number: the first {@value #MAX_PROBLEMS_LISTED} bad sets named, the rest counted. */
    private static final class Problems {
        private final java.util.TreeMap<Integer, List<String>> bySet = new java.util.TreeMap<>();

        void add(int setNumber, String problem) {
            bySet.computeIfAbsent(setNumber, number -> new ArrayList<>(1)).add(problem);
        }

        void throwIfAny() {
            if (bySet.isEmpty()) {
                return;
            }
            List<String> listed = new ArrayList<>();
            int unlisted = 0;
            for (Map.Entry<Integer, List<String>> set : bySet.entrySet()) {
                for (String problem : set.getValue()) {
                    if (listed.size() < MAX_PROBLEMS_LISTED) {
                        listed.add("instruction set #" + set.getKey() + ": " + problem);
                    } else {
                        unlisted++;
                    }
                }
            }
            if (unlisted > 0) {
                listed.add("... and " + unlisted + " more problems");
            }
            throw new InstructionsException(listed);
        }
    }
}
