package org.taylorism.slurm;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How workers run on Slurm.
 *
 * @param mode job steps inside an allocation, batch jobs, or whichever fits where the Boss runs
 * @param jobId the allocation job steps start in; null for {@code SLURM_JOB_ID} of the Boss's environment
 * @param partition the partition batch jobs go to, or null for the cluster's default
 * @param account the account batch jobs are charged to, or null
 * @param qos the quality of service of batch jobs, or null
 * @param srunArguments more arguments for every {@code srun}, placed before the command
 * @param sbatchArguments more arguments for every {@code sbatch}, placed before the script
 * @param cpusAttribute the instruction key that says how many CPUs a worker uses (1 when absent)
 * @param timeLimit Slurm's time limit ({@code --time}) for workers without a {@code timeout}, or null
 * @param pollInterval how often batch jobs' states are read from {@code squeue}
 * @param maxJobs how many batch jobs the default scheduler keeps submitted at once
 * @param arraySize with batch jobs: at most this many workers launched together go in one job array
 *     ({@code sbatch --array}) instead of one job each; 0 for no arrays
 */
public record SlurmOptions(Mode mode, String jobId, String partition, String account, String qos, List<String> srunArguments,
                           List<String> sbatchArguments, String cpusAttribute, String timeLimit, Duration pollInterval,
                           int maxJobs, int arraySize) {

    /** Where workers run. */
    public enum Mode {
        /** Job steps when the Boss runs inside an allocation ({@code SLURM_JOB_ID} set), batch jobs otherwise. */
        AUTO,
        /** Job steps of an allocation: {@code srun --exact}. */
        STEPS,
        /** One batch job per worker: {@code sbatch}. */
        JOBS
    }

    public SlurmOptions {
        Objects.requireNonNull(mode, "mode");
        srunArguments = List.copyOf(srunArguments);
        sbatchArguments = List.copyOf(sbatchArguments);
        Objects.requireNonNull(cpusAttribute, "cpusAttribute");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("the poll interval must be above 0, not " + pollInterval);
        }
        if (arraySize < 0) {
            throw new IllegalArgumentException("the largest job array must be 0 (no arrays) or more, not " + arraySize);
        }
        if (maxJobs < 1) {
            throw new IllegalArgumentException("the number of jobs submitted at once must be 1 or more, not " + maxJobs);
        }
    }

    /** Automatic mode, the cluster's defaults, {@code cpus} as the CPUs key, squeue every half second, 100 jobs at once. */
    public static SlurmOptions defaults() {
        return new SlurmOptions(Mode.AUTO, null, null, null, null, List.of(), List.of(), "cpus", null, Duration.ofMillis(500), 100, 0);
    }

    public SlurmOptions withMode(Mode mode) {
        return new SlurmOptions(mode, jobId, partition, account, qos, srunArguments, sbatchArguments, cpusAttribute, timeLimit, pollInterval, maxJobs, arraySize);
    }

    public SlurmOptions withJobId(String jobId) {
        return new SlurmOptions(mode, jobId, partition, account, qos, srunArguments, sbatchArguments, cpusAttribute, timeLimit, pollInterval, maxJobs, arraySize);
    }

    public SlurmOptions withPartition(String partition) {
        return new SlurmOptions(mode, jobId, partition, account, qos, srunArguments, sbatchArguments, cpusAttribute, timeLimit, pollInterval, maxJobs, arraySize);
    }

    public SlurmOptions withAccount(String account) {
        return new SlurmOptions(mode, jobId, partition, account, qos, srunArguments, sbatchArguments, cpusAttribute, timeLimit, pollInterval, maxJobs, arraySize);
    }

    public SlurmOptions withQos(String qos) {
        return new SlurmOptions(mode, jobId, partition, account, qos, srunArguments, sbatchArguments, cpusAttribute, timeLimit, pollInterval, maxJobs, arraySize);
    }

    public SlurmOptions withSrunArguments(List<String> arguments) {
        return new SlurmOptions(mode, jobId, partition, account, qos, arguments, sbatchArguments, cpusAttribute, timeLimit, pollInterval, maxJobs, arraySize);
    }

    public SlurmOptions withSbatchArguments(List<String> arguments) {
        return new SlurmOptions(mode, jobId, partition, account, qos, srunArguments, arguments, cpusAttribute, timeLimit, pollInterval, maxJobs, arraySize);
    }

    public SlurmOptions withCpusAttribute(String attribute) {
        return new SlurmOptions(mode, jobId, partition, account, qos, srunArguments, sbatchArguments, attribute, timeLimit, pollInterval, maxJobs, arraySize);
    }

    public SlurmOptions withTimeLimit(String timeLimit) {
        return new SlurmOptions(mode, jobId, partition, account, qos, srunArguments, sbatchArguments, cpusAttribute, timeLimit, pollInterval, maxJobs, arraySize);
    }

    public SlurmOptions withPollInterval(Duration pollInterval) {
        return new SlurmOptions(mode, jobId, partition, account, qos, srunArguments, sbatchArguments, cpusAttribute, timeLimit, pollInterval, maxJobs, arraySize);
    }

    public SlurmOptions withMaxJobs(int maxJobs) {
        return new SlurmOptions(mode, jobId, partition, account, qos, srunArguments, sbatchArguments, cpusAttribute, timeLimit, pollInterval, maxJobs, arraySize);
    }

    public SlurmOptions withArraySize(int arraySize) {
        return new SlurmOptions(mode, jobId, partition, account, qos, srunArguments, sbatchArguments, cpusAttribute, timeLimit, pollInterval, maxJobs,
                arraySize);
    }
}
