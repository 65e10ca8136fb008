package org.taylorism;

/** The type of the error of a worker its launcher could not start: cause {@code launch_failed}. */
public final class LaunchFailedException extends TaylorismException {

    public LaunchFailedException(String message) {
        super(message);
    }
}
