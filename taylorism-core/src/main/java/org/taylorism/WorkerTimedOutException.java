package org.taylorism;

/** The type of the error of a worker stopped for running past its {@code timeout} or going silent past its {@code stall_timeout}. */
public final class WorkerTimedOutException extends TaylorismException {

    public WorkerTimedOutException(String message) {
        super(message);
    }
}
