package org.taylorism.internal.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.taylorism.Signal;
import org.taylorism.Task;

/**
 * The Boss thread's one queue, and the gate in front of it that callers' threads pass. The gate's lock makes
 * "may this still be posted?" and the posting one step: instructions sent after END are refused, never dropped,
 * and a question is never left unanswered in a closed queue. It also keeps what callers asked of the lifecycle
 * (whether the Boss was ever told to work, whether it is halted), which {@link #checkWillFinish()} needs
 * without asking the Boss thread.
 */
final class Inbox implements Mailbox {

    private final BlockingQueue<Message> queue = new LinkedBlockingQueue<>();
    private final Object gate = new Object();
    /** The first signal after which instructions are refused; null while they are accepted. Guarded by gate. */
    private Signal instructionsEndedBy;
    /** Set once the run is over: nothing is posted any more. Guarded by gate. */
    private boolean closed;
    private volatile boolean everResumed;
    private volatile boolean haltRequested = true;

    /** Throws, naming why, when instructions would be refused now. */
    void checkAccepting() {
        synchronized (gate) {
            checkAcceptingLocked(false);
        }
    }

    /**
     * @param subTasks whether they are a running worker's sub-tasks: END does not refuse them (the run finishes
     *     what it holds, and a worker that runs may need them to finish), a STOP does
     */
    private void checkAcceptingLocked(boolean subTasks) {
        boolean ended = instructionsEndedBy != null && !(subTasks && instructionsEndedBy == Signal.END);
        if (ended || closed) {
            throw new IllegalStateException("the Boss no longer accepts instructions: "
                    + (instructionsEndedBy != null ? instructionsEndedBy + " was sent" : "the Boss has terminated"));
        }
    }

    /** Queues matched instruction sets, or throws when instructions are refused. */
    void submit(Intake.Batch batch, Task parent) {
        synchronized (gate) {
            checkAcceptingLocked(parent != null);
            queue.add(new Message.Submit(batch.tasks(), batch.digests(), batch.waits(), parent));
        }
    }

    /**
     * Queues a signal. Once the run is over, HALT and RESUME throw (they cannot have the effect asked for) and
     * the others do nothing.
     */
    void send(Signal signal) {
        synchronized (gate) {
            if (closed) {
                if (signal == Signal.HALT || signal == Signal.RESUME) {
                    throw new IllegalStateException("the Boss has terminated: " + signal + " has no effect");
                }
                return;
            }
            if (signal == Signal.RESUME) {
                everResumed = true;
                haltRequested = false;
            } else if (signal == Signal.HALT) {
                haltRequested = true;
            }
            if (signal.endsInstructions() && instructionsEndedBy == null) {
                instructionsEndedBy = signal;
            }
            queue.add(new Message.Control(signal));
        }
    }

    /** Queues the question {@code ask} makes of a fresh answer, and returns that answer; null once the run is over. */
    <T> CompletableFuture<T> ask(Function<CompletableFuture<T>, Message> ask) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        return post(ask.apply(answer)) ? answer : null;
    }

    @Override
    public boolean post(Message message) {
        synchronized (gate) {
            if (closed) {
                return false;
            }
            queue.add(message);
            return true;
        }
    }

    Message take() throws InterruptedException {
        return queue.take();
    }

    Message poll() {
        return queue.poll();
    }

    @Override
    public void close() {
        synchronized (gate) {
            closed = true;
        }
    }

    /** Closes the queue and returns what was left in it, for its questions to be answered. */
    List<Message> closeAndDrain() {
        List<Message> left = new ArrayList<>();
        synchronized (gate) {
            closed = true;
            queue.drainTo(left);
        }
        return left;
    }

    /**
     * Throws instead of letting a caller wait forever for a run that cannot end: one never told to work, or
     * halted, with only END to end it (after a STOP or a STOP_RIGHTNOW it ends, halted or not).
     */
    void checkWillFinish() {
        synchronized (gate) {
            if (closed || instructionsEndedBy != null && instructionsEndedBy != Signal.END) {
                return;
            }
        }
        if (!everResumed) {
            throw new IllegalStateException("the Boss was never told to work: it is halted and would wait forever;"
                    + " call makeThemWork() (or send RESUME) before waitTillFinished()");
        }
        if (haltRequested) {
            throw new IllegalStateException("the Boss is halted (HALT was sent) and would wait forever for RESUME;"
                    + " send RESUME, or STOP to end with what has run");
        }
    }
}
