package org.taylorism.benchmarks;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.LaunchedWorker;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.spi.WorkerOutcome;

/** Starts nothing: every launch ends at once, from another thread, so only the Boss's own work is measured. */
final class NoOpLauncher implements WorkerLauncher {

    private final ExecutorService completer = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "bench-completer");
        thread.setDaemon(true);
        return thread;
    });

    private static final WorkerOutcome DONE = new WorkerOutcome.Returned(null, 0);

    @Override
    public String name() {
        return "no-op";
    }

    @Override
    public LaunchedWorker launch(LaunchSpec spec, Consumer<WorkerOutcome> onEnd) {
        completer.execute(() -> onEnd.accept(DONE));
        return new LaunchedWorker() {
            @Override
            public OptionalLong pid() {
                return OptionalLong.empty();
            }

            @Override
            public void stop(Duration grace) {
                // already over
            }
        };
    }

    @Override
    public void close() {
        completer.shutdownNow();
    }
}
