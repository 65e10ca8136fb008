package org.taylorism;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a resumed run does with each set of the run it resumes, by where that set stands ({@link PriorOutcome}).
 * The {@linkplain #standard() standard} policy skips what succeeded and runs everything else again; a set the
 * earlier run never had always runs. As Eventor's recovery policy, and GNU parallel's {@code --resume} /
 * {@code --retry-failed}.
 *
 * @param actions an action for every outcome
 */
public record ResumePolicy(Map<PriorOutcome, ResumeAction> actions) {

    /** The outcomes that are failures, as {@link WorkerStatus#isFailure()} says of statuses. */
    private static final Set<PriorOutcome> FAILURES = EnumSet.of(PriorOutcome.FAILED, PriorOutcome.CRASHED, PriorOutcome.TIMED_OUT,
            PriorOutcome.MEMORY_EXCEEDED);

    public ResumePolicy {
        EnumMap<PriorOutcome, ResumeAction> copy = new EnumMap<>(PriorOutcome.class);
        copy.putAll(actions);
        for (PriorOutcome outcome : PriorOutcome.values()) {
            if (!copy.containsKey(outcome)) {
                throw new IllegalArgumentException("a resume policy says nothing of " + outcome.jsonName() + " sets");
            }
        }
        actions = Collections.unmodifiableMap(copy);
    }

    /** Skips the sets that succeeded; runs the rest again. */
    public static ResumePolicy standard() {
        EnumMap<PriorOutcome, ResumeAction> actions = new EnumMap<>(PriorOutcome.class);
        for (PriorOutcome outcome : PriorOutcome.values()) {
            actions.put(outcome, outcome == PriorOutcome.SUCCEEDED ? ResumeAction.SKIP : ResumeAction.RERUN);
        }
        return new ResumePolicy(actions);
    }

    /**
     * Runs again only the sets that failed (failed, crashed, timed out, exceeded their memory); skips the others,
     * those that never ran included: {@code taylorism retry-failed}.
     */
    public static ResumePolicy failedOnly() {
        EnumMap<PriorOutcome, ResumeAction> actions = new EnumMap<>(PriorOutcome.class);
        for (PriorOutcome outcome : PriorOutcome.values()) {
            actions.put(outcome, FAILURES.contains(outcome) ? ResumeAction.RERUN : ResumeAction.SKIP);
        }
        return new ResumePolicy(actions);
    }

    /** This policy with {@code outcome} sets handled by {@code action}. */
    public ResumePolicy with(PriorOutcome outcome, ResumeAction action) {
        EnumMap<PriorOutcome, ResumeAction> changed = new EnumMap<>(actions);
        changed.put(outcome, action);
        return new ResumePolicy(changed);
    }

    public ResumeAction actionFor(PriorOutcome outcome) {
        return actions.get(outcome);
    }

    /**
     * The {@linkplain #standard() standard} policy changed as {@code text} says: comma-separated
     * {@code OUTCOME=ACTION} pairs, e.g. {@code failed=skip,killed=rerun}.
     *
     * @throws IllegalArgumentException naming the pair that is not one
     */
    public static ResumePolicy parse(String text) {
        ResumePolicy policy = standard();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("'" + pair.strip() + "' is not OUTCOME=ACTION (e.g. failed=skip)");
            }
            PriorOutcome outcome = PriorOutcome.ofJsonName(pair.substring(0, equals));
            String action = pair.substring(equals + 1).strip().toLowerCase(Locale.ROOT);
            policy = switch (action) {
                case "skip" -> policy.with(outcome, ResumeAction.SKIP);
                case "rerun" -> policy.with(outcome, ResumeAction.RERUN);
                default -> throw new IllegalArgumentException("'" + pair.strip() + "': the action is skip or rerun, not '" + action + "'");
            };
        }
        return policy;
    }

    /** As {@link #parse} reads it, every outcome named. */
    @Override
    public String toString() {
        return actions.entrySet().stream().map(entry -> entry.getKey().jsonName() + "=" + entry.getValue().jsonName())
                .collect(Collectors.joining(","));
    }
}
