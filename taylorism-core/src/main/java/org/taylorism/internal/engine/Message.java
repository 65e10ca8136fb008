package org.taylorism.internal.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.taylorism.Cause;
import org.taylorism.Reconfiguration;
import org.taylorism.Report;
import org.taylorism.RunStoreException;
import org.taylorism.Signal;
import org.taylorism.Task;
import org.taylorism.spi.WorkerOutcome;

/**
 * What reaches the Boss thread, from callers (instructions, signals, questions), launchers (ends), the timer
 * (timeouts, delayed starts) and the resource monitor (limits). Handled one at a time, in arrival order, by the
 * {@link Dispatcher}.
 */
sealed interface Message {

    /**
     * Answers a question that arrives after the run is over, when nobody will handle it: a report request gets
     * the final report, a cancel or a pause gets "nothing of that name runs".
     */
    default void answerAfterTheEnd(CompletableFuture<Report> finalReport) {
    }

    /**
     * Instruction sets, matched already in the caller's thread, with their digests when a store records the run;
     * {@code parent} is the task of the running worker that submitted them as its sub-tasks, or null.
     */
    record Submit(List<Task> tasks, List<String> digests, Map<Long, After> waits, Task parent) implements Message {
    }

    /** The running worker of task {@code parent} waits for its sub-tasks {@code ids}: {@code done} once they have ended. */
    record Lend(long parent, List<Long> ids, CompletableFuture<Void> done) implements Message {
        @Override
        public void answerAfterTheEnd(CompletableFuture<Report> finalReport) {
            done.complete(null);
        }
    }

    /** The worker of task {@code parent} stopped waiting: the loan that ends {@code done} ends now, its slot taken back. */
    record TakeBack(long parent, CompletableFuture<Void> done) implements Message {
    }

    /** The run store could not write what it was given: the run stops launching. */
    record StoreFailed(RunStoreException error) implements Message {
    }

    record Control(Signal signal) implements Message {
    }

    /** New rules for the run, from the next scheduling round on. */
    record Reconfigure(Reconfiguration change) implements Message {
    }

    /** A launcher's word that the worker of task {@code id} ended, and how. */
    record WorkerEnded(long id, WorkerOutcome outcome, Instant at) implements Message {
    }

    /** Asks for an interim report. */
    record ReportRequest(CompletableFuture<Report> answer) implements Message {
        @Override
        public void answerAfterTheEnd(CompletableFuture<Report> finalReport) {
            finalReport.whenComplete((report, error) -> {
                if (error != null) {
                    answer.completeExceptionally(error);
                } else {
                    answer.complete(report);
                }
            });
        }
    }

    /** Asks for a scheduling round (a delayed set is due, or the scheduler asked to be asked again). */
    record WakeUp() implements Message {
        static final WakeUp INSTANCE = new WakeUp();
    }

    /** The timeout of attempt {@code attempt} of task {@code id} may have come. */
    record TimeUp(long id, int attempt) implements Message {
    }

    /** A worker that waited in a cluster's queue now runs: its timeout starts. */
    record StartedRunning(long id, int attempt) implements Message {
    }

    /** The resource monitor saw a running worker go over its memory limit, or stall. */
    record LimitHit(long id, int attempt, Cause cause, String detail) implements Message {
    }

    record Cancel(String name, CompletableFuture<Boolean> answer) implements Message {
        @Override
        public void answerAfterTheEnd(CompletableFuture<Report> finalReport) {
            answer.complete(false);
        }
    }

    /** Pauses ({@code pause}) or continues the running worker called {@code name}. */
    record Pause(String name, boolean pause, CompletableFuture<Boolean> answer) implements Message {
        @Override
        public void answerAfterTheEnd(CompletableFuture<Report> finalReport) {
            answer.complete(false);
        }
    }
}
