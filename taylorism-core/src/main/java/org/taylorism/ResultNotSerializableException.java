package org.taylorism;

/** The type under which a worker's result that cannot be written as JSON is reported. */
public final class ResultNotSerializableException extends TaylorismException {

    public ResultNotSerializableException(String message) {
        super(message);
    }
}
