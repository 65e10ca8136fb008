package org.taylorism.internal.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every launched worker whose end was not seen yet, readable from any thread: {@code close()}, the JVM shutdown
 * hook and a breakdown kill them all, including workers left running by STOP_LISTENING after the Boss thread
 * is gone. A launcher may report an end before, or while, the Boss records the launch; such an end is
 * remembered, so that the worker is never kept as live.
 */
final class LiveWorkers {

    private static final Logger log = LoggerFactory.getLogger(LiveWorkers.class);

    private final Map<Long, GuardedLauncher.Handle> live = new ConcurrentHashMap<>();
    /** Tasks whose end was reported before {@link #launched} put them here. */
    private final Set<Long> endedBeforeKnown = ConcurrentHashMap.newKeySet();

    /** Task {@code id} was launched (on the Boss thread, after the launcher returned). */
    void launched(long id, GuardedLauncher.Handle handle) {
        live.put(id, handle);
        if (endedBeforeKnown.remove(id)) {
            live.remove(id);
        }
    }

    /** The launcher reports the end of task {@code id} (in any thread, even from within the launch). */
    void endReported(long id) {
        if (live.remove(id) == null) {
            endedBeforeKnown.add(id);
        }
    }

    /** The Boss thread handled that end: the next attempt of the same task must not find it remembered. */
    void endHandled(long id) {
        endedBeforeKnown.remove(id);
        live.remove(id);
    }

    /** SIGKILLs every live worker's tree now, and waits a little for each to be gone. */
    void killAll() {
        List<GuardedLauncher.Handle> workers = new ArrayList<>(live.values());
        workers.forEach(worker -> worker.stop(Duration.ZERO));
        for (GuardedLauncher.Handle worker : workers) {
            worker.pid().stream().mapToObj(ProcessHandle::of).flatMap(Optional::stream).forEach(process -> {
                try {
                    process.onExit().get(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    log.warn("Worker process {} did not die within 2 s of SIGKILL", process.pid());
                }
            });
        }
    }
}
