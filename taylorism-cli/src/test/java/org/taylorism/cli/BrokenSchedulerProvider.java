package org.taylorism.cli;

import java.util.Map;
import org.taylorism.Scheduler;
import org.taylorism.spi.SchedulerProvider;

/** A provider with a bug (not bad input): the command line must report an internal error, exit 1. */
public final class BrokenSchedulerProvider implements SchedulerProvider {

    @Override
    public String name() {
        return "broken-for-tests";
    }

    @Override
    public String description() {
        return "Throws, to test exit code 1.";
    }

    @Override
    public Scheduler create(Map<String, String> options) {
        throw new IllegalStateException("a bug in a scheduler provider");
    }
}
