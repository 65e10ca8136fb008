package org.taylorism;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * A worker still running when a report was made.
 *
 * @param name its name
 * @param worker its worker class's short name
 * @param ticket its slot number
 * @param attempt its attempt number, from 1
 * @param startedAt when it was launched
 * @param cpus the CPUs it is bound to, when it is
 * @param node the cluster node it runs on, when a cluster launcher (Slurm) runs it
 * @param peakRssMb the peak resident memory of its process tree so far, when sampled
 * @param paused whether it is paused
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "worker", "ticket", "attempt", "startedAt", "cpus", "node", "peakRssMb", "paused"})
public record RunningReport(String name, String worker, int ticket, int attempt, Instant startedAt, List<Integer> cpus,
                            String node, Long peakRssMb, boolean paused) {
}
