package org.taylorism.slurm;

/** Slurm cannot be used from here: its commands are missing, or its controller does not answer. */
public final class SlurmUnavailableException extends IllegalStateException {

    SlurmUnavailableException(String message) {
        super(message);
    }

    SlurmUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
