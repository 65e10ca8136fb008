package org.taylorism.internal.launch;

import java.time.Duration;
import java.util.OptionalLong;
import org.taylorism.spi.LaunchedWorker;

/**
 * A worker that is one process this JVM started, in a session of its own when setsid exists: stopping,
 * pausing and resuming signal its whole group.
 */
class ProcessWorker implements LaunchedWorker {

    final Process process;
    private final Escalation escalation;
    /** How many processes it left running, once it ended; -1 before. */
    private volatile int leftBehind = -1;

    ProcessWorker(Process process, Escalation escalation) {
        this.process = process;
        this.escalation = escalation;
    }

    /** Records how many processes it left running when it ended. */
    void leftBehind(int count) {
        leftBehind = count;
    }

    @Override
    public int leftBehind() {
        return Math.max(0, leftBehind);
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public void stop(Duration grace) {
        ProcessTree.stop(process.toHandle(), grace, ProcessTree.SETSID != null, escalation);
    }

    @Override
    public void pause() {
        ProcessTree.signal(process.toHandle(), "STOP", ProcessTree.SETSID != null);
    }

    @Override
    public void resume() {
        ProcessTree.signal(process.toHandle(), "CONT", ProcessTree.SETSID != null);
    }
}
