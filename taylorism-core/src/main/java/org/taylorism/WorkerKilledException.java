package org.taylorism;

/** The type of the error of a worker the Boss stopped (STOP_RIGHTNOW, a halt policy, {@code close()}): cause {@code stopped}. */
public final class WorkerKilledException extends TaylorismException {

    public WorkerKilledException(String message) {
        super(message);
    }
}
