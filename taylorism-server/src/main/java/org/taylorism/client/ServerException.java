package org.taylorism.client;

import org.taylorism.TaylorismException;

/** A taylorism server refused a request (with its HTTP status), could not be reached, or could not be found. */
public class ServerException extends TaylorismException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /** @param status the HTTP status of the refusal, or 0 when no answer came */
    public ServerException(int status, String message) {
        super(message);
        this.status = status;
    }

    public ServerException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status of the refusal, or 0 when no answer came. */
    public int status() {
        return status;
    }
}
