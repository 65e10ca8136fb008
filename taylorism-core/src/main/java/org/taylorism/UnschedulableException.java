package org.taylorism;

/** The type of the error of an instruction set the scheduler rejected because it can never run: cause {@code rejected}. */
public final class UnschedulableException extends TaylorismException {

    public UnschedulableException(String message) {
        super(message);
    }
}
