package org.taylorism.slurm;

import org.taylorism.Scheduler;
import org.taylorism.Task;

/**
 * The default scheduler inside an allocation: launch every pending set the allocation has room for now
 * (the {@link StepPlacement} around it shows only those), in submission order.
 */
final class AllocationDecides implements Scheduler {

    @Override
    public void schedule(Round round) {
        for (Task task : round.pending()) {
            round.launch(task);
        }
    }

    @Override
    public String name() {
        return "allocation";
    }
}
