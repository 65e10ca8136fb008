package org.taylorism.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.taylorism.BossContact;
import org.taylorism.Report;
import org.taylorism.Worker;

/**
 * Sub-tasks of a running Java worker: instruction sets it submits to the Boss that runs it, and waits for. Only a
 * Boss served by {@code taylorism serve} gives its workers the contact this needs (a token of the worker's own, in
 * its task file), on fresh and pooled JVMs alike.
 *
 * <pre>{@code
 * protected Object task() {
 *     SubTasks subTasks = SubTasks.of(this);
 *     Report pieces = subTasks.run(List.of(Map.of("name", "left", "range", "0-99"), Map.of("name", "right", "range", "100-199")));
 *     return pieces.worker(name() + "/left").orElseThrow().result(Long.class) + ...;
 * }
 * }</pre>
 *
 * <p>Sub-tasks are named under their parent ({@code PARENT/NAME}) and run before other pending sets. While the
 * worker {@linkplain #await waits} for them, its slot is lent to them, so a run whose every slot holds a waiting
 * parent still goes on. If the worker fails, is killed or times out, its sub-tasks not ended yet are cancelled.
 * Thread-safe.
 */
public final class SubTasks {

    private final TaylorismClient client;

    private SubTasks(TaylorismClient client) {
        this.client = client;
    }

    /**
     * The sub-tasks of {@code worker}, which must be running its task now.
     *
     * @throws IllegalStateException when its Boss gave it no contact: the worker is not a Java worker of a served Boss
     */
    public static SubTasks of(Worker worker) {
        BossContact contact = Objects.requireNonNull(worker, "worker").bossContact().orElseThrow(() -> new IllegalStateException(
                "worker '" + worker.name() + "' has no contact to its Boss: only Java workers of a Boss served by"
                        + " 'taylorism serve' can submit sub-tasks"));
        return new SubTasks(TaylorismClient.forContact(contact));
    }

    /**
     * Submits sub-tasks given one by one, as one batch; they start as soon as the scheduler lets them.
     *
     * @throws ServerException naming a bad set (nothing of the batch is queued), or when the Boss takes no more
     */
    public SubmittedBatch submit(List<? extends Map<String, ?>> instructionSets) {
        return client.submitSubTasks(Map.of("sets", instructionSets));
    }

    /** Submits the sub-tasks made from {@code common} and {@code individual}, as one batch. */
    public SubmittedBatch submit(Map<String, ?> common, Map<String, ?> individual) {
        return client.submitSubTasks(Map.of("common", common, "individual", individual));
    }

    /** The report of {@code batch} now: interim while any of its sub-tasks has yet to end. */
    public Report report(SubmittedBatch batch) {
        return client.subTaskReport(batch.id(), false);
    }

    /** Waits until every sub-task of {@code batch} has ended (lending this worker's slot to them) and returns their report. */
    public Report await(SubmittedBatch batch) {
        return client.subTaskReport(batch.id(), true);
    }

    /** Submits sub-tasks, waits for them, and returns their report. */
    public Report run(List<? extends Map<String, ?>> instructionSets) {
        return await(submit(instructionSets));
    }
}
