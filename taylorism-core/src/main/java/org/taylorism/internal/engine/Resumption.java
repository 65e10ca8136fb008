package org.taylorism.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.PriorOutcome;
import org.taylorism.ResumeAction;
import org.taylorism.ResumePolicy;
import org.taylorism.RunStoreException;
import org.taylorism.TaylorismException;
import org.taylorism.WorkerReport;
import org.taylorism.internal.launch.Outcomes;
import org.taylorism.spi.PriorRun;
import org.taylorism.spi.PriorSet;
import org.taylorism.spi.RunStore;
import org.taylorism.spi.WorkerLauncher;

/**
 * What a run that resumes an earlier one does with each set it is given. The earlier run's set with the same key
 * is looked up and where it stands decided: its last recorded end, or, when its Boss died before recording one,
 * the result file its worker JVM left (adopted, as if that end had been recorded), or else interrupted or never
 * started. The policy then says: carry its report over, run it again, or leave it not run. A set the earlier run
 * did not have always runs. Boss thread only, but for {@link #find}, called when the Boss is built.
 */
final class Resumption {

    private static final Logger log = LoggerFactory.getLogger(Resumption.class);
    /** Attempts past the last recorded one whose files are looked for: a retry launched and never recorded. */
    private static final int UNRECORDED_ATTEMPTS_LOOKED_FOR = 20;

    /** Resumes nothing: every set runs. */
    static final Resumption NONE = new Resumption(null, ResumePolicy.standard());

    /** What to do with one set. */
    sealed interface Decision {
    }

    /** Run it, for this reason. */
    record Run(Why why) implements Decision {
    }

    /** Why a set of a resumed run runs. */
    enum Why {
        /** The earlier run had it, and the policy reruns sets that ended as it did. */
        AGAIN("to run again"),
        /** The earlier run had no set of its name. */
        NEW("new"),
        /** The earlier run had a set of its name, with other instructions or another worker type. */
        CHANGED("changed");

        private final String words;

        Why(String words) {
            this.words = words;
        }
    }

    /** Do not run it: its earlier report goes into this run's report. */
    record Carry(WorkerReport report) implements Decision {
    }

    /** Do not run it, and there is no report to carry: it is reported not run, for this reason. */
    record NotRun(String reason) implements Decision {
    }

    /** How many names of new, changed or gone sets the log lines give before they only count. */
    private static final int NAMES_SHOWN = 10;

    private final PriorRun prior;
    private final ResumePolicy policy;
    private final Set<String> claimed = new HashSet<>();
    /** The names of the sets that run changed: their earlier keys are not gone, only changed. */
    private final Set<String> changedNames = new HashSet<>();
    private Map<String, PriorSet> priorByName;

    Resumption(PriorRun prior, ResumePolicy policy) {
        this.prior = prior;
        this.policy = policy;
    }

    /**
     * The run {@code request} resumes, from {@code store}; then stops what its Boss left running ({@code launcher}
     * says what), so that nothing runs twice at once.
     *
     * @throws RunStoreException when there is no such run, or it still runs
     * @throws TaylorismException when the launcher cannot stop what was left running
     */
    static PriorRun find(RunStore store, ResumeRequest request, String source, WorkerLauncher launcher) {
        String runId = request.runId() != null ? request.runId() : store.latestRunOf(source).orElseThrow(() -> new RunStoreException(
                "no earlier run of " + source + " in the run store " + store.location() + " to resume (taylorism runs lists them)"));
        PriorRun prior = store.prior(runId);
        stopLeftBehind(prior, launcher);
        // A resume that recorded no set (its batch refused whole, or its Boss killed at once) carries nothing over: resumed
        // itself, what its own resume carried would run again. What it resumed is resumed instead, once what it may have
        // started unrecorded is stopped (above).
        Set<String> seen = new HashSet<>();
        while (prior.sets().isEmpty() && prior.resumedFrom() != null && seen.add(prior.runId())) {
            log.info("Run {} recorded no set: resuming the run it resumed, {}", prior.runId(), prior.resumedFrom());
            prior = store.prior(prior.resumedFrom());
            stopLeftBehind(prior, launcher);
        }
        return prior;
    }

    private static void stopLeftBehind(PriorRun prior, WorkerLauncher launcher) {
        if (prior.runDirectory() != null) {
            try {
                launcher.stopLeftBehind(prior.runDirectory()).forEach(line -> log.warn("Resuming run {}: {}", prior.runId(), line));
            } catch (IOException | RuntimeException e) {
                throw new TaylorismException("cannot resume run " + prior.runId() + ": its workers may still run, and the launcher"
                        + " could not stop them: " + e.getMessage(), e);
            }
        }
    }

    boolean active() {
        return prior != null;
    }

    /** What to do with the set whose key is {@code key} and name {@code name}. */
    Decision decide(String key, String name) {
        PriorSet set = prior == null ? null : prior.sets().get(key);
        if (set == null) {
            return new Run(prior != null && priorByName().containsKey(name) && changedNames.add(name) ? Why.CHANGED : Why.NEW);
        }
        if (!claimed.add(key)) {
            return new Run(Why.NEW); // the same set given again: the earlier run's copy is taken
        }
        WorkerReport report = set.report() != null ? set.report() : adopted(set);
        PriorOutcome outcome = report != null ? PriorOutcome.of(report.status())
                : set.lastAttempt() > 0 || launched(set, 1) ? PriorOutcome.INTERRUPTED : PriorOutcome.NEVER_STARTED;
        if (policy.actionFor(outcome) == ResumeAction.RERUN) {
            return new Run(Why.AGAIN);
        }
        if (report != null) {
            return new Carry(report.asCarriedFrom(prior.runId()));
        }
        return new NotRun("not run: " + outcome.jsonName().replace('_', ' ') + " in run " + prior.runId()
                + ", and the resume policy skips such sets");
    }

    private Map<String, PriorSet> priorByName() {
        if (priorByName == null) {
            priorByName = new HashMap<>();
            prior.sets().values().forEach(set -> priorByName.putIfAbsent(set.name(), set));
        }
        return priorByName;
    }

    /**
     * What {@code decisions} (for the sets named {@code names}) come to, in one line for the log: how many of each,
     * and the names of the new and changed ones.
     */
    String summary(List<Decision> decisions, List<String> names) {
        Map<String, List<String>> byWhat = new TreeMap<>();
        for (int i = 0; i < decisions.size(); i++) {
            Decision decision = decisions.get(i);
            String what = decision instanceof Carry ? "carried over" : decision instanceof NotRun ? "left not run"
                    : ((Run) decision).why().words;
            byWhat.computeIfAbsent(what, ignored -> new ArrayList<>()).add(names.get(i));
        }
        return "resuming run " + prior.runId() + " (" + policy + "): " + byWhat.entrySet().stream()
                .map(entry -> entry.getValue().size() + " " + entry.getKey()
                        + (entry.getKey().equals(Why.NEW.words) || entry.getKey().equals(Why.CHANGED.words) ? " " + listed(entry.getValue()) : ""))
                .collect(Collectors.joining(", "));
    }

    /**
     * What this run was not given of the earlier run's sets (neither the same set nor one of the same name), in one
     * line for the log; null when there is none.
     */
    String gone() {
        if (prior == null) {
            return null;
        }
        List<String> gone = prior.sets().values().stream()
                .filter(set -> !claimed.contains(set.key()) && !changedNames.contains(set.name()))
                .map(PriorSet::name).toList();
        return gone.isEmpty() ? null : gone.size() + " sets of run " + prior.runId() + " are gone (this run was not given them): "
                + listed(gone);
    }

    /** {@code names} in parentheses, the first few only when there are many. */
    private static String listed(List<String> names) {
        String shown = String.join(", ", names.subList(0, Math.min(names.size(), NAMES_SHOWN)));
        return "(" + shown + (names.size() > NAMES_SHOWN ? " and " + (names.size() - NAMES_SHOWN) + " more" : "") + ")";
    }

    /**
     * The report of the set's last attempt that its Boss launched and never recorded the end of, from the result
     * file it left; null when it left none (it was killed with its Boss, or was a command, whose end only its
     * Boss saw).
     */
    private WorkerReport adopted(PriorSet set) {
        int first = Math.max(1, set.lastAttempt());
        int last = 0;
        for (int attempt = first; attempt < first + UNRECORDED_ATTEMPTS_LOOKED_FOR && launched(set, attempt); attempt++) {
            last = attempt;
        }
        if (last == 0) {
            return null;
        }
        Path base = prior.runDirectory().resolve(LaunchPlanner.fileBase(set.taskId(), set.name(), last));
        Path result = Path.of(base + ".result.json");
        try {
            Instant endedAt = Files.getLastModifiedTime(result).toInstant();
            WorkerReport report = Endings.adopted(set, last, Path.of(base + ".stdout"), Path.of(base + ".stderr"),
                    Outcomes.ofResultFile(result), last == set.lastAttempt() ? set.lastStartedAt() : null, endedAt);
            log.info("Set {} of run {}: its attempt {} ended {} without its Boss recording it; its result file {} is adopted",
                    set.name(), prior.runId(), last, report.status().jsonName(), result);
            return report;
        } catch (IOException e) {
            return null; // no result file: the attempt was interrupted
        }
    }

    /** Whether the attempt was launched: its output file is there. */
    private boolean launched(PriorSet set, int attempt) {
        return prior.runDirectory() != null
                && Files.exists(prior.runDirectory().resolve(LaunchPlanner.fileBase(set.taskId(), set.name(), attempt) + ".stdout"));
    }
}
