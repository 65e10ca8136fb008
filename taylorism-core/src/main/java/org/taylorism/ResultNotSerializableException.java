package org.taylorism;

/** The type of the error of a worker whose result cannot be written as JSON: cause {@code result_not_serializable}. */
public final class ResultNotSerializableException extends TaylorismException {

    public ResultNotSerializableException(String message) {
        super(message);
    }
}
