package org.taylorism.examples;

import java.util.HashMap;
import java.util.Map;
import org.taylorism.RunningWorker;
import org.taylorism.Scheduler;
import org.taylorism.Task;

/**
 * A scheduler of one's own: at most {@code threads} workers, shared fairly between the values of one
 * attribute (say {@code user}), so that one user's thousand sets do not hold back another user's three.
 * Each free slot goes to the oldest pending set of the value that has the fewest workers running.
 *
 * <p>What a scheduler needs: walk {@code round.pending()} (submission order), call {@code round.launch}
 * for what starts now, and say in {@link #whyWaiting} why a set waits. It runs on the Boss thread only, so
 * it needs no locking.
 */
public final class FairShareScheduler implements Scheduler {

    private final int threads;
    private final String key;

    public FairShareScheduler(int threads, String key) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads < 1: " + threads);
        }
        this.threads = threads;
        this.key = key;
    }

    @Override
    public void schedule(Round round) {
        Map<Object, Integer> runningPerValue = new HashMap<>();
        for (RunningWorker worker : round.running()) {
            runningPerValue.merge(valueOf(worker.task()), 1, Integer::sum);
        }
        int free = threads - round.running().size();
        while (free > 0) {
            Task chosen = null;
            int fewest = Integer.MAX_VALUE;
            for (Task task : round.pending()) {
                int running = runningPerValue.getOrDefault(valueOf(task), 0);
                if (running < fewest && !isLaunched(task, round)) {
                    chosen = task;
                    fewest = running;
                    if (running == 0) {
                        break; // nobody of this value runs: it cannot get fairer
                    }
                }
            }
            if (chosen == null || round.launch(chosen) < 0) {
                return;
            }
            runningPerValue.merge(valueOf(chosen), 1, Integer::sum);
            free--;
        }
    }

    @Override
    public String whyWaiting(Task task, Round round) {
        long mine = round.running().stream().filter(worker -> valueOf(worker.task()).equals(valueOf(task))).count();
        return round.running().size() + "/" + threads + " threads busy, " + mine + " of them for " + key + "=" + valueOf(task);
    }

    @Override
    public java.util.Set<String> keysRead() {
        return java.util.Set.of(key);
    }

    @Override
    public String name() {
        return "fair-share(" + threads + " threads by " + key + ")";
    }

    private Object valueOf(Task task) {
        Object value = task.lookup(key);
        return value == null ? "(none)" : value;
    }

    private static boolean isLaunched(Task task, Round round) {
        for (RunningWorker worker : round.running()) {
            if (worker.task().id() == task.id()) {
                return true;
            }
        }
        return false;
    }
}
