package org.taylorism.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.taylorism.ErrorInfo;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.LaunchedWorker;
import org.taylorism.spi.QueuedWorker;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.spi.WorkerOutcome;

/**
 * A launcher that starts nothing: it records each launch, and the test decides how each worker ends.
 * Stopping a worker ends it at once as killed by SIGTERM, as a real process would. When {@link #queueing} is on, its
 * workers take a task queued behind them, as a warm pool's do: the queued task starts at the end of the worker ahead
 * (it then counts as launched), unless that worker did not return or was stopped; a withdrawal takes it back at once,
 * unless the test makes it come too late.
 */
public final class RecordingLauncher implements WorkerLauncher {

    private final List<LaunchSpec> launched = new CopyOnWriteArrayList<>();
    private final Map<String, Consumer<WorkerOutcome>> endings = new ConcurrentHashMap<>();
    private final List<String> stopped = new CopyOnWriteArrayList<>();
    private final List<String> signals = new CopyOnWriteArrayList<>();
    private volatile String refuse;
    private volatile boolean queueing;
    /** The task queued behind each worker, by the name of the worker ahead. */
    private final Map<String, Queued> queuedBehind = new ConcurrentHashMap<>();
    /** Queued tasks once settled (started or not), by name. */
    private final Map<String, Queued> settled = new ConcurrentHashMap<>();
    private final List<String> withdrawn = new CopyOnWriteArrayList<>();
    private final Set<String> lateWithdrawals = ConcurrentHashMap.newKeySet();

    /** A task queued behind another, and whether it started. */
    private static final class Queued {
        final LaunchSpec spec;
        final Consumer<WorkerOutcome> onEnd;
        volatile boolean withdrawn;
        volatile boolean started;

        Queued(LaunchSpec spec, Consumer<WorkerOutcome> onEnd) {
            this.spec = spec;
            this.onEnd = onEnd;
        }
    }

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public LaunchedWorker launch(LaunchSpec spec, Consumer<WorkerOutcome> onEnd) throws IOException {
        if (spec.name().equals(refuse)) {
            throw new IOException("refused by the test");
        }
        // The end first: a test that sees the launch may end it at once.
        endings.put(spec.name(), onEnd);
        launched.add(spec);
        return worker(spec);
    }

    private QueuedWorker worker(LaunchSpec spec) {
        return new QueuedWorker() {
            @Override
            public boolean started() {
                Queued queued = queuedOf(spec.name());
                return queued == null || queued.started;
            }

            @Override
            public boolean withdraw() {
                Queued queued = queuedOf(spec.name());
                if (queued == null || queued.withdrawn || queued.started || !queuedBehind.containsValue(queued)) {
                    return false;
                }
                withdrawn.add(spec.name());
                if (lateWithdrawals.contains(spec.name())) {
                    return false; // too late: it starts at the end of the worker ahead
                }
                queued.withdrawn = true;
                queuedBehind.values().remove(queued);
                settled.put(spec.name(), queued);
                return true;
            }

            @Override
            public boolean queuesNext() {
                return queueing && endings.containsKey(spec.name()) && !queuedBehind.containsKey(spec.name());
            }

            @Override
            public QueuedWorker queueNext(LaunchSpec next, Consumer<WorkerOutcome> onEnd) {
                if (!queuesNext()) {
                    return null;
                }
                queuedBehind.put(spec.name(), new Queued(next, onEnd));
                return worker(next);
            }

            @Override
            public OptionalLong pid() {
                return OptionalLong.empty();
            }

            @Override
            public void stop(Duration grace) {
                stopped.add(spec.name());
                end(spec.name(), new WorkerOutcome.Died(143, "TERM", ""));
            }

            @Override
            public void pause() {
                signals.add("STOP " + spec.name());
            }

            @Override
            public void resume() {
                signals.add("CONT " + spec.name());
            }
        };
    }

    /** Makes the launch of the worker with this name fail. */
    public void refuse(String name) {
        this.refuse = name;
    }

    public void succeed(String name, Object result) {
        end(name, new WorkerOutcome.Returned(result, 0));
    }

    public void fail(String name, String errorType, String message) {
        end(name, new WorkerOutcome.Raised(new ErrorInfo(errorType, message, errorType + ": " + message + "\n\tat somewhere"), 1));
    }

    public void crash(String name, int exitCode) {
        end(name, new WorkerOutcome.Died(exitCode, null, "last words"));
    }

    private void end(String name, WorkerOutcome outcome) {
        Consumer<WorkerOutcome> onEnd = endings.remove(name);
        if (onEnd == null) {
            return;
        }
        Queued next = queuedBehind.remove(name);
        if (next != null) {
            // Settled before the end of the worker ahead is told, as the contract says.
            next.started = !next.withdrawn && outcome instanceof WorkerOutcome.Returned && !stopped.contains(name);
            settled.put(next.spec.name(), next);
            if (next.started) {
                endings.put(next.spec.name(), next.onEnd);
                launched.add(next.spec);
            }
        }
        onEnd.accept(outcome);
    }

    private Queued queuedOf(String name) {
        for (Queued queued : queuedBehind.values()) {
            if (queued.spec.name().equals(name)) {
                return queued;
            }
        }
        return settled.get(name);
    }

    /** Its workers take a task queued behind them from now on. */
    public void queueing(boolean on) {
        this.queueing = on;
    }

    /** A withdrawal of the task of this name comes too late: it starts anyway. */
    public void withdrawLate(String name) {
        lateWithdrawals.add(name);
    }

    /** The name of the task queued behind the worker called {@code ahead}, or null. */
    public String queuedBehind(String ahead) {
        Queued queued = queuedBehind.get(ahead);
        return queued == null ? null : queued.spec.name();
    }

    /** The names of queued tasks whose withdrawal was asked, in order. */
    public List<String> withdrawnNames() {
        return List.copyOf(withdrawn);
    }

    /** Names of launched workers, in launch order. */
    public List<String> launchedNames() {
        List<String> names = new ArrayList<>();
        launched.forEach(spec -> names.add(spec.name()));
        return names;
    }

    /** The latest launch of the worker with this name. */
    public LaunchSpec spec(String name) {
        return launched.stream().filter(spec -> spec.name().equals(name)).reduce((first, second) -> second).orElseThrow();
    }

    /** Names of workers that were asked to stop, in order. */
    public List<String> stoppedNames() {
        return List.copyOf(stopped);
    }

    /** Pause and resume requests, as "STOP name" and "CONT name", in order. */
    public List<String> signals() {
        return List.copyOf(signals);
    }

    /** How many times a worker of this name was launched. */
    public long launchCount(String name) {
        return launched.stream().filter(spec -> spec.name().equals(name)).count();
    }

    /** Names launched and not ended. */
    public List<String> runningNames() {
        return launchedNames().stream().filter(endings::containsKey).toList();
    }

    public void assertLaunched(String... names) {
        assertEquals(List.of(names), launchedNames());
    }
}
