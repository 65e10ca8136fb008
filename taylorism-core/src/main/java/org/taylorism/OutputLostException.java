package org.taylorism;

/** The type of the error of a pooled task whose standard output or error could not be written to its files. */
public final class OutputLostException extends TaylorismException {

    public OutputLostException(String message) {
        super(message);
    }
}
