package org.taylorism.slurm;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch jobs a dead Boss left on Slurm for a run: this user's jobs whose output file is in the run's directory
 * (a worker's script writes its output there; an array, its elements' logs). A run that resumes that run cancels
 * them, and waits for Slurm to let them go, before it launches anything: their sets then run again, never twice at
 * once. (Adopting them instead would need their outcome read back from jobs this Boss did not submit.)
 */
final class LeftJobs {

    /** How long Slurm is given to let cancelled jobs go. */
    private static final Duration GONE_WITHIN = Duration.ofMinutes(2);

    private LeftJobs() {
    }

    /**
     * Cancels the jobs left with their output in {@code runDirectory}, waits until squeue no longer shows them,
     * and says which it cancelled, one line each.
     *
     * @throws IOException when squeue or scancel fails, or the jobs are still there after {@link #GONE_WITHIN}
     */
    static List<String> cancel(SlurmClient slurm, Path runDirectory, Duration pollInterval) throws IOException {
        String inside = runDirectory.toAbsolutePath().normalize() + "/";
        List<String> ids = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try {
            String listing = slurm.run(List.of("squeue", "--noheader", "--user=" + System.getProperty("user.name"),
                    "--Format=JobID:40,StdOut:4096"));
            for (String line : listing.lines().toList()) {
                String[] fields = line.strip().split("\\s+", 2);
                if (fields.length == 2 && fields[1].strip().startsWith(inside)) {
                    ids.add(fields[0]);
                    lines.add("cancelled Slurm job " + fields[0] + " (its output: " + fields[1].strip() + "), left running by that"
                            + " run's Boss; its set runs again");
                }
            }
            if (ids.isEmpty()) {
                return List.of();
            }
            List<String> command = new ArrayList<>(List.of("scancel", "--quiet"));
            command.addAll(ids);
            slurm.run(command);
            awaitGone(slurm, ids, pollInterval);
        } catch (SlurmClient.SlurmCommandException e) {
            throw new IOException(e.getMessage(), e);
        }
        return lines;
    }

    private static void awaitGone(SlurmClient slurm, List<String> ids, Duration pollInterval) throws IOException {
        // A poll loop: Slurm has no event to wait on (as the JobLauncher's poller).
        Instant giveUp = Instant.now().plus(GONE_WITHIN);
        while (true) {
            // The user's jobs, not --jobs: squeue fails on an id it has forgotten already.
            List<String> still = slurm.run(List.of("squeue", "--noheader", "--user=" + System.getProperty("user.name"),
                    "--Format=JobID:40")).lines().map(String::strip).filter(ids::contains).toList();
            if (still.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new IOException("Slurm jobs " + still + " are still in squeue " + GONE_WITHIN.toSeconds() + " s after scancel");
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for cancelled Slurm jobs to go", e);
            }
        }
    }
}
