package org.taylorism.cli;

/** What the run needs outside this program is not there: a cluster's commands, its controller. */
final class UnavailableException extends RuntimeException {

    UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
