package org.taylorism.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.taylorism.Attribute;
import org.taylorism.Report;
import org.taylorism.Worker;
import org.taylorism.WorkerReport;
import org.taylorism.client.SubTasks;

/** Workers that submit sub-tasks to the Boss that runs them, each a real process of the tests. */
public final class FamilyWorkers {

    private FamilyWorkers() {
    }

    /** Squares its number. */
    public static final class Square extends Worker {
        @Attribute
        int square;

        @Override
        protected Object task() {
            return square * square;
        }
    }

    /** Submits {@code children} squares (of 1, 2...), waits for them, and returns the sum of their results. */
    public static final class Parent extends Worker {
        @Attribute
        int children;

        @Override
        protected Object task() {
            List<Map<String, ?>> sets = new ArrayList<>();
            for (int i = 1; i <= children; i++) {
                sets.add(Map.of("name", "c" + i, "square", i));
            }
            Report report = SubTasks.of(this).run(sets);
            int sum = 0;
            for (int i = 1; i <= children; i++) {
                WorkerReport child = report.worker(name() + "/c" + i).orElseThrow();
                sum += child.result(Integer.class);
            }
            return sum;
        }
    }

    /** Submits three sub-tasks that sleep ten minutes, and dies (exit 3) without waiting for them. */
    public static final class DyingParent extends Worker {
        @Attribute
        String dyingParent;

        @Override
        protected Object task() {
            SubTasks subTasks = SubTasks.of(this);
            List<Map<String, ?>> sleepers = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                sleepers.add(Map.of("name", "sleeper" + i, "command", List.of("sleep", "600")));
            }
            subTasks.submit(sleepers);
            Runtime.getRuntime().halt(3);
            return dyingParent;
        }
    }
}
