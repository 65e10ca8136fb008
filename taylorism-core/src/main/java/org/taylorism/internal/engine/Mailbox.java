package org.taylorism.internal.engine;

/** Where messages for the Boss thread go: the {@link Inbox}, or a plain queue in tests that drive a {@link Dispatcher}. */
interface Mailbox {

    /** Posts {@code message}; false when the run is over and nothing is taken any more. */
    boolean post(Message message);

    /** Takes nothing more from now on: the run is over. */
    void close();
}
