package org.taylorism.slurm;

import java.util.List;
import java.util.stream.Collectors;
import org.taylorism.spi.ClusterState;

/**
 * Reads what Slurm wrote about a step's end: slurmstepd's {@code *** STEP 12.3 ON n2 CANCELLED AT ... DUE TO
 * TIME LIMIT ***} line (in the worker's standard error) and srun's own {@code srun: error:} lines.
 */
final class SlurmMessages {

    private SlurmMessages() {
    }

    /** The reason Slurm gives for ending the step, or null when it ended by itself. */
    static ClusterState clusterState(String text) {
        if (text.contains("DUE TO TIME LIMIT")) {
            return ClusterState.TIMEOUT;
        }
        if (text.contains("DUE TO NODE FAILURE") || text.contains("srun: error: Node failure on")) {
            return ClusterState.NODE_FAIL;
        }
        if (text.contains("DUE TO PREEMPTION")) {
            return ClusterState.PREEMPTED;
        }
        if (text.contains("oom_kill event") || text.contains("Exceeded step memory limit") || text.contains("Exceeded job memory limit")) {
            return ClusterState.OUT_OF_MEMORY;
        }
        if (text.contains("*** STEP ") && text.contains(" CANCELLED AT ") || text.contains("*** JOB ") && text.contains(" CANCELLED AT ")) {
            return ClusterState.CANCELLED;
        }
        return null;
    }

    /** Slurm's own lines of {@code text}: those of srun and slurmstepd, not the worker's. */
    static String slurmLines(String text) {
        List<String> lines = text.lines().filter(line -> line.startsWith("srun: ") || line.startsWith("slurmstepd")).toList();
        return lines.stream().collect(Collectors.joining("\n"));
    }
}
