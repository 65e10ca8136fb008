package org.taylorism;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A worker the scheduler launched and whose end has not been seen yet.
 *
 * @param task what it runs
 * @param ticket its slot number
 * @param startedAt when it was launched
 * @param cpus the CPUs it is bound to, empty when unbound
 * @param stdout the file its standard output goes to, as it is written; null in a scheduling round's own view of
 *     a launch it is deciding
 * @param stderr the file its standard error goes to, as it is written; null likewise
 */
public record RunningWorker(Task task, int ticket, Instant startedAt, List<Integer> cpus, Path stdout, Path stderr) {

    /** A launch being decided, before it has files. */
    public RunningWorker(Task task, int ticket, Instant startedAt, List<Integer> cpus) {
        this(task, ticket, startedAt, cpus, null, null);
    }

    public String name() {
        return task.name();
    }
}
