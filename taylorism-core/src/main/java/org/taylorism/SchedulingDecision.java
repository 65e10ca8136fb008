package org.taylorism;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.taylorism.internal.engine.DryRun;

/**
 * One decision of a scheduler, made without a Boss and without launching anything: what
 * {@code taylorism explain} shows, and what a scheduler's own tests can check in a line.
 *
 * <pre>{@code
 * SchedulingDecision first = SchedulingDecision.firstRound(Scheduler.maxThreads(2), registry, sets);
 * first.launchedNames();          // [a, b]
 * first.waiting().get(0).reason() // "2/2 threads busy"
 * }</pre>
 *
 * @param launched the workers it launches, in launch order, with their tickets (and CPUs when it binds them)
 * @param waiting the sets it leaves waiting, pending ones in submission order with what
 *     {@link Scheduler#whyWaiting} says, then the delayed ones ({@code not_before}) with their time
 * @param rejected the sets that would fail without running, each with the error's message a Boss would give it:
 *     those the scheduler says can never run, and those a running worker (or one launched before) has the name of
 */
public record SchedulingDecision(List<RunningWorker> launched, List<Waiting> waiting, List<Waiting> rejected) {

    public SchedulingDecision {
        launched = List.copyOf(launched);
        waiting = List.copyOf(waiting);
        rejected = List.copyOf(rejected);
    }

    /** A set not launched by the decision, and why (null where the scheduler does not say). */
    public record Waiting(Task task, String reason) {
    }

    /**
     * What {@code scheduler} decides for these pending sets (in submission order) while these workers run, at
     * {@code now}. The scheduler's failures are the caller's: a scheduler that throws throws here.
     */
    public static SchedulingDecision of(Scheduler scheduler, List<Task> pending, List<RunningWorker> running, Instant now) {
        return DryRun.decide(scheduler, pending, running, now);
    }

    /**
     * What {@code scheduler} decides first for these instruction sets, matched by {@code registry} and named as
     * a Boss would, nothing running yet.
     *
     * @throws InstructionsException as a Boss would refuse the batch, naming each bad set
     */
    public static SchedulingDecision firstRound(Scheduler scheduler, WorkerRegistry registry,
                                                List<? extends Map<String, ?>> instructionSets) {
        return DryRun.firstRound(scheduler, registry, instructionSets);
    }

    /**
     * One set of a batch in its flow: the sets that wait for none are stage 1; a set that waits for others is one
     * stage after the latest of them in the batch.
     *
     * @param name the set's name
     * @param stage its stage, from 1
     * @param waitsFor what it waits for, in words ({@code prepare succeeded, then 30 s}); null for nothing
     */
    public record FlowStep(String name, int stage, String waitsFor) {
    }

    /**
     * The flow of these instruction sets (their {@code after}), in stage order, then submission order: what
     * {@code taylorism explain} draws as text.
     *
     * @throws InstructionsException as a Boss would refuse the batch, naming each bad set
     */
    public static List<FlowStep> flow(WorkerRegistry registry, List<? extends Map<String, ?>> instructionSets) {
        return DryRun.flow(registry, instructionSets);
    }

    /** The names of the launched workers, in launch order. */
    public List<String> launchedNames() {
        return launched.stream().map(RunningWorker::name).toList();
    }
}
