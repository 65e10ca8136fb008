package org.taylorism;

/**
 * The control signals a Boss obeys, with the original's names and meanings. Sent with {@link Boss#send};
 * they are handled in the order they are sent, interleaved with instructions.
 */
public enum Signal {

    /** Stop launching; keep collecting the workers' ends and answering report requests. */
    HALT,
    /** Launching is allowed again. */
    RESUME,
    /** Publish an interim report (what ended so far) and carry on; see {@link Boss#getReport(boolean)}. */
    SEND_REPORT,
    /** No more instructions will come: run everything pending, then stop. Later instructions are refused. */
    END,
    /** Launch nothing more, let running workers finish, then stop; the report lists the sets never started. */
    STOP,
    /**
     * Stop the Boss now and hand out the final report at once. Running workers go on unwatched (named in the
     * report's {@code running}) until they end or the Boss is closed, which kills them.
     */
    STOP_LISTENING,
    /** Kill running workers now (their whole process trees), then stop. */
    STOP_RIGHTNOW;

    /** Whether no instruction is accepted once this signal is sent. */
    public boolean endsInstructions() {
        return this == END || this == STOP || this == STOP_LISTENING || this == STOP_RIGHTNOW;
    }
}
