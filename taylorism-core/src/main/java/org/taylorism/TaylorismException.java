package org.taylorism;

/** Base of the unchecked exceptions of taylorism. */
public class TaylorismException extends RuntimeException {

    public TaylorismException(String message) {
        super(message);
    }

    public TaylorismException(String message, Throwable cause) {
        super(message, cause);
    }
}
