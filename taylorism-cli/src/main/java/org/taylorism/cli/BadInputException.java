package org.taylorism.cli;

/** Input the command cannot use: a file, an option value. The message names the value and where it came from. */
final class BadInputException extends RuntimeException {

    BadInputException(String message) {
        super(message);
    }

    BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
