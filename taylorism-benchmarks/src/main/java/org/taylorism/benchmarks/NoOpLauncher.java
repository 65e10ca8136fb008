package org.taylorism.benchmarks;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.LaunchedWorker;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.spi.WorkerOutcome;

/**
 * Starts nothing: every launch ends at once, reported from within {@code launch}, so that only the Boss's own
 * work is measured. An end reported from another thread would add a thread hand-off per task, which in this
 * project's virtual machines costs 30 to 100 µs a round trip and varies from minute to minute: at 2 slots the
 * figure would measure that, not the Boss.
 */
final class NoOpLauncher implements WorkerLauncher {

    private static final WorkerOutcome DONE = new WorkerOutcome.Returned(null, 0);

    private static final LaunchedWorker ENDED = new LaunchedWorker() {
        @Override
        public OptionalLong pid() {
            return OptionalLong.empty();
        }

        @Override
        public void stop(Duration grace) {
            // already over
        }
    };

    @Override
    public String name() {
        return "no-op";
    }

    @Override
    public LaunchedWorker launch(LaunchSpec spec, Consumer<WorkerOutcome> onEnd) {
        onEnd.accept(DONE);
        return ENDED;
    }
}
