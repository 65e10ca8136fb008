package org.taylorism.cli;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ctrl-C as the command line promises: the first asks for a graceful stop, the second for an immediate
 * one, and the run still ends with its report. SIGTERM counts as a second Ctrl-C. Uses the JDK's
 * {@code sun.misc.Signal} (module jdk.unsupported); where it is missing, the JVM's default applies (the
 * shutdown hook kills the workers, without a report).
 */
final class Interrupts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Interrupts.class);

    private final AtomicInteger count = new AtomicInteger();
    private final Runnable first;
    private final Runnable second;
    private Object previousInt;
    private Object previousTerm;

    private Interrupts(Runnable first, Runnable second) {
        this.first = first;
        this.second = second;
    }

    static Interrupts install(Runnable first, Runnable second) {
        Interrupts interrupts = new Interrupts(first, second);
        try {
            interrupts.previousInt = sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> interrupts.interrupted(false));
            interrupts.previousTerm = sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> interrupts.interrupted(true));
        } catch (IllegalArgumentException | LinkageError e) {
            log.debug("Cannot handle SIGINT here: {}", e.toString());
        }
        return interrupts;
    }

    /** Whether a Ctrl-C (or SIGTERM) arrived. */
    boolean happened() {
        return count.get() > 0;
    }

    private void interrupted(boolean terminate) {
        int n = terminate ? count.updateAndGet(c -> Math.max(c + 1, 2)) : count.incrementAndGet();
        if (n == 1) {
            first.run();
        } else if (n == 2 || terminate) {
            second.run();
        }
    }

    @Override
    public void close() {
        try {
            if (previousInt != null) {
                sun.misc.Signal.handle(new sun.misc.Signal("INT"), (sun.misc.SignalHandler) previousInt);
            }
            if (previousTerm != null) {
                sun.misc.Signal.handle(new sun.misc.Signal("TERM"), (sun.misc.SignalHandler) previousTerm);
            }
        } catch (IllegalArgumentException | LinkageError e) {
            log.debug("Cannot restore the signal handlers: {}", e.toString());
        }
    }
}
