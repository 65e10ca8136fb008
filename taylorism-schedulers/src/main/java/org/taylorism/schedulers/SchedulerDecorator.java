package org.taylorism.schedulers;

import java.util.Set;
import org.taylorism.Scheduler;
import org.taylorism.Task;

/** A rule around another scheduler: what it does not change, it asks the inner one. */
abstract class SchedulerDecorator implements Scheduler {

    final Scheduler inner;

    SchedulerDecorator(Scheduler inner) {
        this.inner = inner;
    }

    @Override
    public Long maxMemoryMb() {
        return inner.maxMemoryMb();
    }

    @Override
    public Set<String> keysRead() {
        return inner.keysRead();
    }

    @Override
    public String whyWaiting(Task task, Round round) {
        return inner.whyWaiting(task, round);
    }
}
