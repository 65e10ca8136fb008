package org.taylorism.cli;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ctrl-C as the command line promises: the first asks for a graceful stop, the second for an immediate
 * one, and the run still ends with its report. SIGTERM counts as a second Ctrl-C, and so does SIGHUP (the terminal
 * went away, as when an ssh session drops: nobody is left to press Ctrl-C twice). Uses the JDK's
 * {@code sun.misc.Signal} (module jdk.unsupported); where it is missing, the JVM's default applies (the
 * shutdown hook kills the workers, without a report).
 */
final class Interrupts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Interrupts.class);

    private final AtomicInteger count = new AtomicInteger();
    private final Runnable first;
    private final Runnable second;
    private volatile boolean hangUp;
    private volatile boolean terminated;
    private Object previousInt;
    private Object previousTerm;
    private Object previousHup;

    private Interrupts(Runnable first, Runnable second) {
        this.first = first;
        this.second = second;
    }

    static Interrupts install(Runnable first, Runnable second) {
        Interrupts interrupts = new Interrupts(first, second);
        try {
            interrupts.previousInt = sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> interrupts.interrupted(false));
            interrupts.previousTerm = sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> interrupts.interrupted(true));
            interrupts.previousHup = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                interrupts.hangUp = true;
                interrupts.interrupted(true);
            });
        } catch (IllegalArgumentException | LinkageError e) {
            log.debug("Cannot handle SIGINT here: {}", e.toString());
        }
        return interrupts;
    }

    /** Whether a Ctrl-C (or SIGTERM, or SIGHUP) arrived. */
    boolean happened() {
        return count.get() > 0;
    }

    /** What stopped the run, as its user would say it: {@code Ctrl-C}, {@code Ctrl-C twice}, {@code SIGTERM}, {@code a hang-up}. */
    String description() {
        return hangUp ? "a hang-up (SIGHUP)" : terminated ? "SIGTERM" : count.get() > 1 ? "Ctrl-C twice" : "Ctrl-C";
    }

    /** The exit code of a run it stopped: 129 after a hang-up, 130 after Ctrl-C or SIGTERM (128 + the signal). */
    int exitCode() {
        return hangUp ? TaylorismCommand.HUNG_UP : TaylorismCommand.INTERRUPTED;
    }

    private void interrupted(boolean terminate) {
        if (terminate && !hangUp) {
            terminated = true;
        }
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
            if (previousHup != null) {
                sun.misc.Signal.handle(new sun.misc.Signal("HUP"), (sun.misc.SignalHandler) previousHup);
            }
        } catch (IllegalArgumentException | LinkageError e) {
            log.debug("Cannot restore the signal handlers: {}", e.toString());
        }
    }
}
