package org.taylorism.internal.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.taylorism.RunningWorker;
import org.taylorism.Scheduler;
import org.taylorism.SchedulingDecision;
import org.taylorism.Task;
import org.taylorism.WorkerRegistry;

/** Scheduling decisions outside any Boss, through the same {@link SchedulingRound} a Boss holds: see {@link SchedulingDecision}. */
public final class DryRun {

    private DryRun() {
    }

    /** See {@link SchedulingDecision#of}. */
    public static SchedulingDecision decide(Scheduler scheduler, List<Task> pending, List<RunningWorker> running, Instant now) {
        Map<Long, Task> byId = new LinkedHashMap<>();
        pending.forEach(task -> byId.put(task.id(), task));
        BitSet tickets = new BitSet();
        running.forEach(worker -> tickets.set(worker.ticket()));
        SchedulingRound round = SchedulingRound.deciding(byId, running, tickets, now, when -> { });
        scheduler.schedule(round);
        List<SchedulingDecision.Waiting> rejected = new ArrayList<>();
        String name = new GuardedScheduler(scheduler).name();
        round.rejected().forEach((id, reason) -> rejected.add(new SchedulingDecision.Waiting(byId.get(id),
                "scheduler " + name + " rejected it: " + reason)));
        // As the Boss does at launch: a worker whose name a running one has fails instead.
        Set<String> names = new HashSet<>();
        running.forEach(worker -> names.add(worker.name()));
        List<RunningWorker> launched = new ArrayList<>();
        for (RunningWorker launch : round.launched()) {
            if (names.add(launch.name())) {
                launched.add(launch);
            } else {
                rejected.add(new SchedulingDecision.Waiting(launch.task(),
                        "worker name '" + launch.name() + "' is already used by a running worker"));
            }
        }
        Map<Long, Task> stillPending = new LinkedHashMap<>(byId);
        launched.forEach(worker -> stillPending.remove(worker.task().id()));
        rejected.forEach(reject -> stillPending.remove(reject.task().id()));
        List<RunningWorker> runningAfter = new ArrayList<>(running);
        runningAfter.addAll(launched);
        Scheduler.Round view = SchedulingRound.readOnly(stillPending, runningAfter, now);
        GuardedScheduler guarded = new GuardedScheduler(scheduler);
        List<SchedulingDecision.Waiting> waiting = new ArrayList<>();
        for (Task task : stillPending.values()) {
            waiting.add(new SchedulingDecision.Waiting(task, guarded.whyWaiting(task, view)));
        }
        return new SchedulingDecision(launched, waiting, rejected);
    }

    /** See {@link SchedulingDecision#flow}. */
    public static List<SchedulingDecision.FlowStep> flow(WorkerRegistry registry, List<? extends Map<String, ?>> sets) {
        Intake.Batch batch = new Intake(registry, Set::of, Clock.systemDefaultZone(), new AtomicLong(1)).batch(sets);
        Map<String, Integer> stages = new HashMap<>();
        Map<String, After> afters = new HashMap<>();
        for (Task task : batch.tasks()) {
            After after = batch.waits().get(task.id());
            if (after != null) {
                afters.put(task.name(), after);
            }
        }
        List<SchedulingDecision.FlowStep> steps = new ArrayList<>();
        for (Task task : batch.tasks()) {
            After after = afters.get(task.name());
            steps.add(new SchedulingDecision.FlowStep(task.name(), stageOf(task.name(), afters, stages),
                    after == null ? null : after.describe()));
        }
        steps.sort(java.util.Comparator.comparingInt(SchedulingDecision.FlowStep::stage));
        return steps;
    }

    /** A set's stage, worked out with a stack of its own (the batch has no cycle: the intake refused those). */
    private static int stageOf(String name, Map<String, After> afters, Map<String, Integer> stages) {
        java.util.Deque<String> toDo = new java.util.ArrayDeque<>();
        toDo.push(name);
        while (!toDo.isEmpty()) {
            String next = toDo.peek();
            if (stages.containsKey(next)) {
                toDo.pop();
                continue;
            }
            After after = afters.get(next);
            int stage = 1;
            boolean ready = true;
            for (String upstream : after == null ? Set.<String>of() : after.condition().upstream()) {
                Integer known = afters.containsKey(upstream) || stages.containsKey(upstream) ? stages.get(upstream) : Integer.valueOf(1);
                if (known == null) {
                    toDo.push(upstream);
                    ready = false;
                } else {
                    stage = Math.max(stage, known + 1);
                }
            }
            if (ready) {
                stages.put(next, stage);
                toDo.pop();
            }
        }
        return stages.get(name);
    }

    /** See {@link SchedulingDecision#firstRound}. */
    public static SchedulingDecision firstRound(Scheduler scheduler, WorkerRegistry registry, List<? extends Map<String, ?>> sets) {
        Clock clock = Clock.systemDefaultZone();
        GuardedScheduler guarded = new GuardedScheduler(scheduler);
        Intake.Batch batch = new Intake(registry, guarded::keysRead, clock, new AtomicLong(1)).batch(sets);
        Instant now = clock.instant();
        List<Task> due = new ArrayList<>();
        List<SchedulingDecision.Waiting> delayed = new ArrayList<>();
        for (Task task : batch.tasks()) {
            After after = batch.waits().get(task.id());
            if (after != null) {
                delayed.add(new SchedulingDecision.Waiting(task, "until " + after.describe()));
            } else if (task.notBefore() != null && task.notBefore().isAfter(now)) {
                delayed.add(new SchedulingDecision.Waiting(task, NotBefore.describe(task.notBefore(), now, clock.getZone())));
            } else {
                due.add(task);
            }
        }
        SchedulingDecision decision = decide(scheduler, due, List.of(), now);
        List<SchedulingDecision.Waiting> waiting = new ArrayList<>(decision.waiting());
        waiting.addAll(delayed);
        return new SchedulingDecision(decision.launched(), waiting, decision.rejected());
    }
}
