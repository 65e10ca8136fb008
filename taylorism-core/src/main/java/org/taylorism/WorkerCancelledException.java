package org.taylorism;

/** The type of the error of a worker cancelled by name, before or while it ran: cause {@code cancelled}. */
public final class WorkerCancelledException extends TaylorismException {

    public WorkerCancelledException(String message) {
        super(message);
    }
}
