package org.taylorism.slurm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.taylorism.internal.launch.Outcomes;
import org.taylorism.spi.ClusterState;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.WorkerOutcome;

/** What the step and job launchers share: the command run on the node, the time limit, the outcome. */
final class WorkerCommands {

    private WorkerCommands() {
    }

    /**
     * The command the local launcher would run, with a worker JVM told how many CPUs it has: it would
     * otherwise size its GC and pools for every CPU of the node.
     */
    static List<String> onNode(LaunchSpec spec, int cpus) {
        if (spec.kind() != LaunchSpec.Kind.JAVA || spec.jvm().hasOption("-XX:ActiveProcessorCount=")) {
            return spec.command();
        }
        return spec.jvm().withDefaultOption("-XX:ActiveProcessorCount=" + cpus).toList();
    }

    /**
     * Slurm's time limit for the worker, in whole minutes: a minute more than the time the Boss gives it (its
     * {@code timeout}, as raised by a retry, or the Boss's default; the Boss stops it on time itself, Slurm's
     * limit is the net for a Boss that died), else {@code fallback}.
     */
    static String timeLimit(LaunchSpec spec, String fallback) {
        if (spec.timeout() != null) {
            return String.valueOf((spec.timeout().toMillis() + 59_999) / 60_000 + 1);
        }
        return fallback;
    }

    /**
     * How the worker ended, given its exit code and what Slurm wrote: a Java worker's result file when it
     * wrote one; else Slurm's reason when Slurm ended it; else as a local worker's exit.
     */
    static WorkerOutcome outcome(LaunchSpec spec, int exitCode, ClusterState state, String slurmSaid) {
        boolean resultWritten = spec.kind() == LaunchSpec.Kind.JAVA && spec.resultFile() != null && Files.exists(spec.resultFile());
        if (state != null && !resultWritten) {
            Outcomes.deleteQuietly(spec.taskFile());
            return new WorkerOutcome.ClusterEnded(state, exitCode, slurmSaid);
        }
        return Outcomes.ofExit(spec, exitCode);
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The sibling of the worker's stdout file named with {@code suffix} instead of {@code .stdout}. */
    static Path beside(LaunchSpec spec, String suffix) {
        String stdout = spec.stdout().getFileName().toString();
        String base = stdout.endsWith(".stdout") ? stdout.substring(0, stdout.length() - ".stdout".length()) : stdout;
        return spec.stdout().resolveSibling(base + suffix);
    }
}
