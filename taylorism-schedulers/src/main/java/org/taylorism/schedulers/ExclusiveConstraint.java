package org.taylorism.schedulers;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.taylorism.RunningWorker;
import org.taylorism.Task;

/**
 * No two running workers share a value of the exclusive attributes ({@code fileA}, {@code fileB} for
 * SingleOpenFile). The attributes form one namespace, as in the original: a file open as one worker's
 * {@code fileA} is taken for every other worker's {@code fileA} and {@code fileB}. Sets launched in the same
 * decision count.
 */
final class ExclusiveConstraint implements Constraint {

    private final List<String> keys;
    private final Map<String, String> holders = new HashMap<>();

    ExclusiveConstraint(List<String> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no exclusive attribute given");
        }
        this.keys = List.copyOf(keys);
    }

    @Override
    public void reset(Collection<RunningWorker> running) {
        holders.clear();
        running.forEach(worker -> launched(worker.task()));
    }

    @Override
    public String blocker(Task task) {
        for (String key : keys) {
            Object value = task.lookup(key);
            if (value != null && holders.containsKey(value.toString())) {
                return key + "=" + value + " held by " + holders.get(value.toString());
            }
        }
        return null;
    }

    @Override
    public java.util.Set<String> keysRead() {
        return java.util.Set.copyOf(keys);
    }

    @Override
    public boolean amountBased() {
        return false;
    }

    @Override
    public void launched(Task task) {
        for (String key : keys) {
            Object value = task.lookup(key);
            if (value != null) {
                holders.put(value.toString(), task.name());
            }
        }
    }
}
