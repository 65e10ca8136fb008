package org.taylorism.internal.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.taylorism.Task;

/** Finds a cycle among a batch's {@code after}: sets that wait for each other would wait forever. */
final class Cycles {

    private Cycles() {
    }

    /**
     * A cycle among {@code tasks}, as the names along it, the first repeated at the end ({@code a, b, a}); empty
     * when there is none. Depth-first, with a stack of its own: a chain of thousands does not need a deep one.
     *
     * @param waits the {@code after} of the tasks that have one, by task id
     * @param batchNames the names of the batch's sets: only these can close a cycle (earlier sets wait for none of them)
     */
    static List<String> find(List<Task> tasks, Map<Long, After> waits, Set<String> batchNames) {
        Map<String, List<String>> edges = new HashMap<>();
        for (Task task : tasks) {
            After after = waits.get(task.id());
            if (after != null) {
                edges.put(task.name(), after.condition().upstream().stream().filter(batchNames::contains).toList());
            }
        }
        Map<String, Boolean> onPath = new HashMap<>(); // true: on the current path; false: done, no cycle through it
        for (String start : edges.keySet()) {
            if (onPath.containsKey(start)) {
                continue;
            }
            List<String> cycle = walk(start, edges, onPath);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private static List<String> walk(String start, Map<String, List<String>> edges, Map<String, Boolean> onPath) {
        List<String> path = new ArrayList<>();
        Deque<Iterator<String>> next = new ArrayDeque<>();
        path.add(start);
        onPath.put(start, true);
        next.push(edges.getOrDefault(start, List.of()).iterator());
        while (!next.isEmpty()) {
            Iterator<String> upstream = next.peek();
            if (!upstream.hasNext()) {
                next.pop();
                onPath.put(path.remove(path.size() - 1), false);
                continue;
            }
            String name = upstream.next();
            Boolean state = onPath.get(name);
            if (Boolean.TRUE.equals(state)) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
                cycle.add(name);
                return cycle;
            }
            if (state == null) {
                path.add(name);
                onPath.put(name, true);
                next.push(edges.getOrDefault(name, List.of()).iterator());
            }
        }
        return List.of();
    }
}
