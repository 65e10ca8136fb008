package org.taylorism;

import java.time.Instant;

/**
 * A worker the scheduler launched and whose end has not been seen yet.
 *
 * @param task what it runs
 * @param ticket its slot number
 * @param startedAt when it was launched
 */
public record RunningWorker(Task task, int ticket, Instant startedAt) {

    public String name() {
        return task.name();
    }
}
