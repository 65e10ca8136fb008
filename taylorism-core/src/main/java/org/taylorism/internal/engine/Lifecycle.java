package org.taylorism.internal.engine;

import org.taylorism.Boss.State;
import org.taylorism.ErrorInfo;
import org.taylorism.HaltPolicy;
import org.taylorism.RunStatus;
import org.taylorism.Signal;

/**
 * Where the run is: the one state machine of the Boss (its states and moves are drawn atop {@link Engine}),
 * whether it is halted, and why it was aborted. Changed on the Boss thread only; {@link #state()} is read from
 * any thread.
 */
final class Lifecycle {

    /** Why the run was aborted: the error, and the worker whose failure halted it (null for a broken scheduler). */
    record Abort(ErrorInfo error, String worker) {
    }

    /** How the run ends: its status, and why the sets that never started did not. */
    record Finish(RunStatus status, String neverStartedReason) {
    }

    private volatile State state = State.LISTENING;
    private boolean halted = true;
    private Abort abort;

    State state() {
        return state;
    }

    boolean halted() {
        return halted;
    }

    void halt(boolean halt) {
        halted = halt;
    }

    /** Whether the run still takes its pending sets to the end: launches (unless halted), retries, halts. */
    boolean goesOn() {
        return state == State.LISTENING || state == State.DRAINING;
    }

    boolean canLaunch() {
        return !halted && goesOn();
    }

    boolean over() {
        return state == State.TERMINATED;
    }

    /**
     * The state {@code signal} moves to, or null for a signal that is no move: HALT, RESUME, SEND_REPORT, and
     * STOP_LISTENING, which ends the run at once, with its final report ({@link #stopListening}).
     */
    static State targetOf(Signal signal) {
        return switch (signal) {
            case END -> State.DRAINING;
            case STOP -> State.STOPPING;
            case STOP_RIGHTNOW -> State.KILLING;
            case STOP_LISTENING, HALT, RESUME, SEND_REPORT -> null;
        };
    }

    /** Moves forward to {@code target}; returns false, and stays, when the run is there or past it already. */
    boolean moveTo(State target) {
        if (target.ordinal() <= state.ordinal()) {
            return false;
        }
        state = target;
        return true;
    }

    /** The first abort wins; returns false when the run was aborted or is stopping already. */
    boolean abort(ErrorInfo error, String worker) {
        if (abort != null || !goesOn()) {
            return false;
        }
        abort = new Abort(error, worker);
        return true;
    }

    /** Records why the run broke down, unless an abort says why already. */
    void brokeDown(ErrorInfo error) {
        if (abort == null) {
            abort = new Abort(error, null);
        }
    }

    Abort abortCause() {
        return abort;
    }

    /** Why running workers are stopped when the run moves to KILLING. */
    String killReason(HaltPolicy haltPolicy) {
        String why = abort == null ? "it was told to stop at once, STOP_RIGHTNOW"
                : abort.worker() != null ? "halt policy " + haltPolicy + " after worker " + abort.worker() + " failed"
                : "the run was aborted";
        return "stopped by the Boss (" + why + ")";
    }

    /**
     * How the run ends now, or null while it goes on: in DRAINING once nothing waits or runs, in STOPPING and
     * KILLING once nothing runs.
     *
     * @param idle whether no worker runs
     * @param nothingWaits whether no set is pending or delayed
     */
    Finish finishNow(boolean idle, boolean nothingWaits) {
        if (!idle) {
            return null;
        }
        RunStatus stopped = abort != null ? RunStatus.FAILED : nothingWaits ? RunStatus.FINISHED : RunStatus.PENDING;
        return switch (state) {
            case DRAINING -> nothingWaits ? new Finish(RunStatus.FINISHED, null) : null;
            case STOPPING -> new Finish(stopped, abort != null ? "never started: the run was halted" : "never started: the run was stopped (STOP)");
            case KILLING -> new Finish(stopped, abort != null ? "never started: the run was aborted" : "never started: STOP_RIGHTNOW");
            case LISTENING, TERMINATED -> null; // LISTENING waits for END or a STOP; TERMINATED is over
        };
    }

    /** How the run ends on STOP_LISTENING: at once, whatever runs. */
    static Finish stopListening(boolean nothingWaits) {
        return new Finish(nothingWaits ? RunStatus.FINISHED : RunStatus.PENDING,
                "never started: the Boss stopped listening (STOP_LISTENING)");
    }

    void terminate() {
        state = State.TERMINATED;
    }
}
