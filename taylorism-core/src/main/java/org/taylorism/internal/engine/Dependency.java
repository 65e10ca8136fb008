package org.taylorism.internal.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.taylorism.WorkerStatus;

/**
 * What a set waits for before it may go (its {@code after}), resolved to set names when it was submitted: every
 * listed set ended in some way, several such conditions at once, or any one of several.
 */
sealed interface Dependency {

    /** How an upstream set must end. */
    enum Outcome {
        /** It succeeded (Slurm's afterok). */
        SUCCEEDED("succeeded"),
        /** It ended without succeeding: failed, crashed, timed out, killed, cancelled (Slurm's afternotok). */
        FAILED("failed"),
        /** It ended, however (Slurm's afterany). */
        ENDED("ended");

        private final String key;

        Outcome(String key) {
            this.key = key;
        }

        /** Its key in an {@code after} object. */
        String key() {
            return key;
        }

        boolean metBy(WorkerStatus status) {
            return switch (this) {
                case SUCCEEDED -> status.isSuccess();
                case FAILED -> !status.isSuccess();
                case ENDED -> true;
            };
        }
    }

    /** Whether the condition holds, may still hold, or never will, given how each set ended (null: not yet). */
    Verdict judge(Function<String, WorkerStatus> endedAs);

    /** Every set name the condition reads, once each. */
    Set<String> upstream();

    /** The condition in words: {@code prepare, sim-1 succeeded and clean ended}. */
    String describe();

    /** {@code names}, or the first few of them and how many there are. */
    static String shortList(List<String> names) {
        return names.size() <= 4 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 3)) + ", ... (" + names.size() + " sets)";
    }

    /**
     * Where a condition stands.
     *
     * @param state whether it holds, waits or never will
     * @param because for {@link State#NEVER}: which set ended how, in words ({@code 'prepare' failed})
     */
    record Verdict(State state, String because) {
        static final Verdict HOLDS = new Verdict(State.HOLDS, null);
        static final Verdict WAITS = new Verdict(State.WAITS, null);
    }

    enum State {
        HOLDS, WAITS, NEVER
    }

    /** Every one of {@code names} ended as {@code outcome} says. */
    record Upon(Outcome outcome, List<String> names) implements Dependency {
        @Override
        public Verdict judge(Function<String, WorkerStatus> endedAs) {
            boolean waits = false;
            for (String name : names) {
                WorkerStatus status = endedAs.apply(name);
                if (status == null) {
                    waits = true;
                } else if (!outcome.metBy(status)) {
                    return new Verdict(State.NEVER, "'" + name + "' " + status.jsonName() + ", and it waits for it to have "
                            + outcome.key());
                }
            }
            return waits ? Verdict.WAITS : Verdict.HOLDS;
        }

        @Override
        public Set<String> upstream() {
            return new LinkedHashSet<>(names);
        }

        @Override
        public String describe() {
            return shortList(names) + " " + outcome.key();
        }
    }

    /** Every part holds. */
    record AllOf(List<Dependency> parts) implements Dependency {
        @Override
        public String describe() {
            return String.join(" and ", parts.stream().map(Dependency::describe).toList());
        }

        @Override
        public Verdict judge(Function<String, WorkerStatus> endedAs) {
            boolean waits = false;
            for (Dependency part : parts) {
                Verdict verdict = part.judge(endedAs);
                if (verdict.state() == State.NEVER) {
                    return verdict;
                }
                waits |= verdict.state() == State.WAITS;
            }
            return waits ? Verdict.WAITS : Verdict.HOLDS;
        }

        @Override
        public Set<String> upstream() {
            Set<String> names = new LinkedHashSet<>();
            parts.forEach(part -> names.addAll(part.upstream()));
            return names;
        }
    }

    /** At least one part holds. */
    record AnyOf(List<Dependency> parts) implements Dependency {
        @Override
        public String describe() {
            return "any of (" + String.join(" | ", parts.stream().map(Dependency::describe).toList()) + ")";
        }

        @Override
        public Verdict judge(Function<String, WorkerStatus> endedAs) {
            List<String> whyNot = new ArrayList<>();
            for (Dependency part : parts) {
                Verdict verdict = part.judge(endedAs);
                if (verdict.state() == State.HOLDS) {
                    return Verdict.HOLDS;
                }
                if (verdict.state() == State.NEVER) {
                    whyNot.add(verdict.because());
                }
            }
            return whyNot.size() < parts.size() ? Verdict.WAITS
                    : new Verdict(State.NEVER, "none of its any_of can hold: " + String.join("; ", whyNot));
        }

        @Override
        public Set<String> upstream() {
            Set<String> names = new LinkedHashSet<>();
            parts.forEach(part -> names.addAll(part.upstream()));
            return names;
        }
    }
}
