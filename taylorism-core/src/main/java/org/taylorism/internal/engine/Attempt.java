package org.taylorism.internal.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.taylorism.Cause;
import org.taylorism.RunningWorker;
import org.taylorism.Task;
import org.taylorism.internal.launch.Outcomes;
import org.taylorism.spi.LaunchSpec;

/**
 * One launch of a task, from its start until its end is seen: what the Boss thread knows of a running worker.
 * Boss thread only.
 */
final class Attempt {

    /** What the scheduler and listeners see of it. */
    final RunningWorker view;
    final LaunchSpec spec;
    final GuardedLauncher.Handle handle;
    /** The kernel's OOM-kill count at its start: a rise by its end says what likely killed it. */
    final long oomKillsAtStart;

    /** Why the Boss stopped it, once it did; the report's cause then, whatever the process made of the signal. */
    Cause stopCause;
    String stopReason;
    /** The time it has, or null for none; its clock starts when it really runs (a cluster job may queue first). */
    Duration timeout;
    Instant deadline;
    Timer.Planned timeoutCheck;
    /** When it was paused, while it is. */
    Instant pausedAt;
    /** Its launcher declined a task queued behind it ({@link Prefetcher}): none is asked for again. */
    boolean queueDeclined;

    Attempt(RunningWorker view, LaunchSpec spec, GuardedLauncher.Handle handle, long oomKillsAtStart) {
        this.view = view;
        this.spec = spec;
        this.handle = handle;
        this.oomKillsAtStart = oomKillsAtStart;
    }

    /** Where its JVM writes a crash log; null for a program. Worked out when asked: only a crash asks. */
    Path crashLog() {
        return spec.kind() == LaunchSpec.Kind.JAVA ? Outcomes.crashLogOf(spec.stdout()) : null;
    }

    Task task() {
        return view.task();
    }

    long id() {
        return view.task().id();
    }

    /** Its number among the task's attempts, from 1. */
    int number() {
        return view.task().attempt();
    }

    String name() {
        return view.task().name();
    }

    /** Whether {@code id} and {@code number} name this attempt: a message for an earlier one is stale. */
    boolean is(long id, int number) {
        return id() == id && number() == number;
    }
}
