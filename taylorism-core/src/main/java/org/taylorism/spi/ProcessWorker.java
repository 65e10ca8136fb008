package org.taylorism.spi;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * A worker that is one process this JVM started, in a session of its own when setsid exists: stopping,
 * pausing and resuming signal its whole group.
 */
class ProcessWorker implements LaunchedWorker {

    final Process process;

    ProcessWorker(Process process) {
        this.process = process;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public void stop(Duration grace) {
        ProcessTree.stop(process.toHandle(), grace, ProcessTree.SETSID != null);
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
