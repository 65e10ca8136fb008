package org.taylorism.slurm;

import org.taylorism.spi.WorkerLauncher;

/**
 * Runs workers on a Slurm cluster, through Slurm itself: as job steps of the allocation the Boss runs in
 * ({@code salloc}, {@code sbatch}), or as batch jobs when it runs on a login node. Results and output come
 * back through the run directory, which must be on a file system the nodes share.
 *
 * <pre>{@code
 * try (Boss boss = Boss.builder().launcher(SlurmLauncher.create(SlurmOptions.defaults())).build()) { ... }
 * }</pre>
 */
public final class SlurmLauncher {

    private SlurmLauncher() {
    }

    /**
     * A launcher for {@code options}, after checking that Slurm answers and, for job steps, reading the
     * allocation.
     *
     * @throws SlurmUnavailableException naming what is missing: Slurm's commands, its controller, the allocation
     */
    public static WorkerLauncher create(SlurmOptions options) {
        SlurmClient slurm = new SlurmClient();
        try {
            return create(options, slurm);
        } catch (RuntimeException | Error e) {
            slurm.close();
            throw e;
        }
    }

    /** The launcher for {@code options}, which owns {@code slurm} from here and closes it with itself. */
    private static WorkerLauncher create(SlurmOptions options, SlurmClient slurm) {
        slurm.checkAvailable();
        String jobId = options.jobId() != null ? options.jobId() : System.getenv("SLURM_JOB_ID");
        SlurmOptions.Mode mode = options.mode();
        if (mode == SlurmOptions.Mode.AUTO) {
            mode = jobId != null ? SlurmOptions.Mode.STEPS : SlurmOptions.Mode.JOBS;
        }
        if (mode == SlurmOptions.Mode.JOBS) {
            return new JobLauncher(slurm, options);
        }
        if (jobId == null) {
            throw new SlurmUnavailableException("job steps need an allocation: run inside salloc or sbatch (SLURM_JOB_ID is not set),"
                    + " or name a running job");
        }
        return new StepLauncher(slurm, options, Allocation.read(slurm, jobId));
    }
}
