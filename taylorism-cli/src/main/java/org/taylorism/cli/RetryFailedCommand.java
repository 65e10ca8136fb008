package org.taylorism.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.Boss;
import org.taylorism.ResumePolicy;
import org.taylorism.spi.PriorRun;
import org.taylorism.spi.PriorSet;
import org.taylorism.store.JdbcRunStore;
import org.taylorism.store.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code taylorism retry-failed RUN_ID}: runs again the sets of a run that failed (failed, crashed, timed out,
 * exceeded their memory), from the instructions the store kept; the others' reports are carried into the new run's.
 */
@Command(name = "retry-failed",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        sortOptions = false,
        description = {"Runs again the sets of run RUN_ID that failed, crashed, timed out or exceeded their memory, from the"
                + " instructions the run store kept (the batch file is not read), as a new run that resumes RUN_ID: the reports of"
                + " its other sets are carried into the new report; sets that never ran stay not run (taylorism run BATCH --resume"
                + " runs those too).",
                "The run's options are not replayed: give the launcher, worker classpath and other options it needs again."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {BatchRun.EXIT_OK, BatchRun.EXIT_INTERNAL, BatchRun.EXIT_USAGE, BatchRun.EXIT_FAILED, BatchRun.EXIT_UNAVAILABLE,
                "5:the run store cannot be used, has no such run, or the run still goes on", BatchRun.EXIT_HUNG_UP, BatchRun.EXIT_INTERRUPTED})
final class RetryFailedCommand extends BatchRun {

    @Mixin
    private OutputOptions outputs;

    @Override
    OutputOptions outputOptions() {
        return outputs;
    }

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run: its id, or the start of it (taylorism runs lists them).")
    private String runId;

    /** The run retried, once resolved. */
    private RunSummary retried;

    @Override
    void resume(Boss.Builder builder, JdbcRunStore store) {
        String id = store.resolve(runId);
        retried = store.runs().stream().filter(run -> run.id().equals(id)).findFirst().orElseThrow();
        builder.resume(id, ResumePolicy.failedOnly());
    }

    @Override
    String source() {
        return retried.source();
    }

    @Override
    List<Map<String, Object>> sets(JdbcRunStore store) {
        PriorRun prior = store.prior(retried.id());
        List<String> left = failedUnderParentsThatSucceeded(prior);
        if (!left.isEmpty()) {
            // Its logger is got here, not when the class loads: picocli loads every subcommand's class as it starts, and a
            // logger got then would set up slf4j-simple before -v and --quiet say at what level it logs.
            Logger log = LoggerFactory.getLogger(RetryFailedCommand.class);
            log.warn("{} sub-tasks of run {} failed under parents that succeeded, which do not run again, nor do they: {}",
                    left.size(), retried.id(), left.size() <= 10 ? left : left.subList(0, 10) + " and " + (left.size() - 10) + " more");
        }
        return submittedAgain(prior);
    }

    /** The names of the sub-tasks of {@code prior} that did not succeed, whose parent did (it is not run again). */
    static List<String> failedUnderParentsThatSucceeded(PriorRun prior) {
        Map<String, Boolean> succeeded = new HashMap<>();
        prior.sets().values().forEach(set -> succeeded.put(set.name(), set.report() != null && set.report().status().isSuccess()));
        List<String> left = new ArrayList<>();
        for (PriorSet set : prior.sets().values()) {
            if (set.parent() != null && !succeeded.get(set.name()) && succeeded.getOrDefault(set.parent(), false)) {
                left.add(set.name());
            }
        }
        return left;
    }

    /**
     * The sets of {@code prior} submitted again: those of its batch. A sub-task is its parent's to submit again, when the
     * parent runs again: submitted here, it would be a set of the batch, under its parent's prefix, which its key (made
     * of its name as its parent gave it) would not match, and it would run whether it had failed or not.
     */
    static List<Map<String, Object>> submittedAgain(PriorRun prior) {
        List<Map<String, Object>> sets = new ArrayList<>();
        for (PriorSet set : prior.sets().values()) {
            if (set.parent() == null) {
                sets.add(set.instructions());
            }
        }
        return sets;
    }

    @Override
    public Integer call() {
        if (noStore) {
            throw new BadInputException("retry-failed runs sets of a run of the run store; it cannot go with --no-store");
        }
        return super.call();
    }
}
