package org.taylorism;

import java.time.Instant;
import java.util.List;

/**
 * A worker the scheduler launched and whose end has not been seen yet.
 *
 * @param task what it runs
 * @param ticket its slot number
 * @param startedAt when it was launched
 * @param cpus the CPUs it is bound to, empty when unbound
 */
public record RunningWorker(Task task, int ticket, Instant startedAt, List<Integer> cpus) {

    public String name() {
        return task.name();
    }
}
