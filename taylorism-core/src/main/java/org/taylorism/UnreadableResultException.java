package org.taylorism;

/** The type of the error of a worker whose result file, or pooled JVM's reply, could not be read: cause {@code result_unreadable}. */
public final class UnreadableResultException extends TaylorismException {

    public UnreadableResultException(String message) {
        super(message);
    }
}
