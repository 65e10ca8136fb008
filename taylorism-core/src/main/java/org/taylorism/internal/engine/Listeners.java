package org.taylorism.internal.engine;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.BossListener;
import org.taylorism.PendingTask;
import org.taylorism.Reconfiguration;
import org.taylorism.Report;
import org.taylorism.RunningWorker;
import org.taylorism.WorkerReport;

/**
 * The Boss's listeners, told of each event in turn on the Boss thread. A listener that throws is logged with
 * its class and ignored; an Error is not caught: it breaks the run down, which still hands out its report.
 */
final class Listeners {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final List<BossListener> listeners;

    Listeners(List<BossListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    void started(RunningWorker worker) {
        tell("started", listener -> listener.started(worker));
    }

    /** A worker's last attempt ended: succeeded, stopped (killed or cancelled) or failed, as its status says. */
    void ended(WorkerReport report) {
        // A switch expression: a new status does not compile until it is given its event.
        Consumer<BossListener> call = switch (report.status()) {
            case SUCCEEDED -> listener -> listener.succeeded(report);
            case KILLED, CANCELLED -> listener -> listener.stopped(report);
            case FAILED, CRASHED, TIMED_OUT, MEMORY_EXCEEDED -> listener -> listener.failed(report);
        };
        tell(report.status().jsonName(), call);
    }

    void retrying(WorkerReport failedAttempt, Duration backoff) {
        tell("retrying", listener -> listener.retrying(failedAttempt, backoff));
    }

    void cancelled(PendingTask task) {
        tell("cancelled", listener -> listener.cancelled(task));
    }

    void reconfigured(Reconfiguration change) {
        tell("reconfigured", listener -> listener.reconfigured(change));
    }

    void reportPublished(Report report) {
        tell("reportPublished", listener -> listener.reportPublished(report));
    }

    void runEnded(Report report) {
        tell("runEnded", listener -> listener.runEnded(report));
    }

    private void tell(String event, Consumer<BossListener> call) {
        for (BossListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("Listener {} failed in {}; ignored", listener.getClass().getName(), event, e);
            }
        }
    }
}
