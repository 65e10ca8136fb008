package org.taylorism;

/** The type of the error of a worker stopped for using more memory than it declared, times the Boss's tolerance: cause {@code memory_limit}. */
public final class MemoryExceededException extends TaylorismException {

    public MemoryExceededException(String message) {
        super(message);
    }
}
