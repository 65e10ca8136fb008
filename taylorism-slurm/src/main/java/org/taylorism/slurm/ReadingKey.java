package org.taylorism.slurm;

import java.util.HashSet;
import java.util.Set;
import org.taylorism.Scheduler;
import org.taylorism.Task;

/** The user's scheduler, unchanged but for one more instruction key read (the CPUs per worker). */
final class ReadingKey implements Scheduler {

    private final Scheduler inner;
    private final String key;

    ReadingKey(Scheduler inner, String key) {
        this.inner = inner;
        this.key = key;
    }

    @Override
    public void schedule(Round round) {
        inner.schedule(round);
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String whyWaiting(Task task, Round round) {
        return inner.whyWaiting(task, round);
    }

    @Override
    public Set<String> keysRead() {
        Set<String> keys = new HashSet<>(inner.keysRead());
        keys.add(key);
        return keys;
    }

    @Override
    public Long maxMemoryMb() {
        return inner.maxMemoryMb();
    }
}
