package org.taylorism;

/** The type of the error of a worker not launched because a running worker has its name: cause {@code name_in_use}. */
public final class DuplicateWorkerNameException extends TaylorismException {

    public DuplicateWorkerNameException(String message) {
        super(message);
    }
}
