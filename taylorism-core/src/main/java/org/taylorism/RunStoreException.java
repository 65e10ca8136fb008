package org.taylorism;

/** A run store cannot be opened or written; the message names the store and why. */
public class RunStoreException extends TaylorismException {

    public RunStoreException(String message) {
        super(message);
    }

    public RunStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
