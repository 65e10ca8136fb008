package org.taylorism.slurm;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.taylorism.spi.LauncherProvider;
import org.taylorism.spi.WorkerLauncher;

/** {@code --launcher slurm}: workers as Slurm job steps or batch jobs, configured by text options. */
public final class SlurmLauncherProvider implements LauncherProvider {

    private static final Map<String, String> OPTIONS = describeOptions();

    private static Map<String, String> describeOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("mode", "steps (inside an allocation), jobs (one sbatch job per worker) or auto (steps when SLURM_JOB_ID is set; default)");
        options.put("job", "the allocation to start steps in (default: SLURM_JOB_ID)");
        options.put("partition", "partition for batch jobs");
        options.put("account", "account batch jobs are charged to");
        options.put("qos", "quality of service of batch jobs");
        options.put("srun-args", "more srun arguments, separated by spaces");
        options.put("sbatch-args", "more sbatch arguments, separated by spaces");
        options.put("cpus-attribute", "the instruction key giving a worker's CPUs (default: cpus; 1 when absent)");
        options.put("time", "Slurm time limit (--time) for workers without a timeout, e.g. 30 or 2:00:00");
        options.put("poll", "seconds between two squeue calls for batch jobs (default: 0.5)");
        options.put("array", "batch jobs launched together go in job arrays of at most this many workers (default: 0, no arrays)");
        options.put("max-jobs", "batch jobs submitted at once when no scheduler is chosen (default: 100)");
        return options;
    }

    @Override
    public String name() {
        return "slurm";
    }

    @Override
    public String description() {
        return "Workers run through Slurm: job steps inside an allocation (salloc, sbatch), batch jobs from a login node.";
    }

    @Override
    public Map<String, String> options() {
        return OPTIONS;
    }

    @Override
    public WorkerLauncher create(Map<String, String> given, int slots) {
        return SlurmLauncher.create(parse(given));
    }

    static SlurmOptions parse(Map<String, String> given) {
        SlurmOptions options = SlurmOptions.defaults();
        for (Map.Entry<String, String> option : given.entrySet()) {
            String value = option.getValue() == null ? "" : option.getValue().strip();
            options = switch (option.getKey()) {
                case "mode" -> options.withMode(mode(value));
                case "job" -> options.withJobId(nonEmpty("job", value));
                case "partition" -> options.withPartition(nonEmpty("partition", value));
                case "account" -> options.withAccount(nonEmpty("account", value));
                case "qos" -> options.withQos(nonEmpty("qos", value));
                case "srun-args" -> options.withSrunArguments(words(value));
                case "sbatch-args" -> options.withSbatchArguments(words(value));
                case "cpus-attribute" -> options.withCpusAttribute(nonEmpty("cpus-attribute", value));
                case "time" -> options.withTimeLimit(timeLimit(value));
                case "poll" -> options.withPollInterval(seconds(value));
                case "max-jobs" -> options.withMaxJobs(count("max-jobs", value, 1));
                case "array" -> options.withArraySize(count("array", value, 0));
                default -> throw new IllegalArgumentException("unknown option '" + option.getKey() + "' of launcher slurm; known: "
                        + OPTIONS.keySet());
            };
        }
        return options;
    }

    private static SlurmOptions.Mode mode(String value) {
        try {
            return SlurmOptions.Mode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option mode of launcher slurm is '" + value + "', not one of auto, steps, jobs", e);
        }
    }

    private static String nonEmpty(String name, String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("option " + name + " of launcher slurm is empty");
        }
        return value;
    }

    /** Slurm's --time forms: minutes, M:S, H:M:S, D-H, D-H:M, D-H:M:S, or unlimited. */
    private static String timeLimit(String value) {
        if (value.matches("\\d+(:\\d+){0,2}|\\d+-\\d+(:\\d+){0,2}|(?i)unlimited|(?i)infinite")) {
            return value;
        }
        throw new IllegalArgumentException("option time of launcher slurm is '" + value
                + "', not a Slurm time limit (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS or UNLIMITED)");
    }

    private static List<String> words(String value) {
        return value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
    }

    private static Duration seconds(String value) {
        try {
            double seconds = Double.parseDouble(value);
            if (seconds > 0 && seconds <= 3600) {
                return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException("option poll of launcher slurm is '" + value + "', not a number of seconds between 0 and 3600");
    }

    private static int count(String name, String value, int least) {
        try {
            int count = Integer.parseInt(value);
            if (count >= least) {
                return count;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException("option " + name + " of launcher slurm is '" + value + "', not a whole number from " + least);
    }
}
