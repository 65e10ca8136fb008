package org.taylorism.cli;

import picocli.CommandLine.Option;

/**
 * {@code -v} (repeatable) and {@code --quiet}. The log level is set before any logger exists, as
 * slf4j-simple reads it once.
 */
final class LoggingOptions {

    private static final String LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    int verbosity;
    boolean quiet;

    @Option(names = "-v", description = "More output: every worker's start and end; -vv: debug logs; -vvv: trace.")
    void verbose(boolean[] flags) {
        verbosity = flags.length;
        System.setProperty(LEVEL, switch (Math.min(flags.length, 3)) {
            case 0, 1 -> "info";
            case 2 -> "debug";
            default -> "trace";
        });
    }

    @Option(names = {"-q", "--quiet"}, description = "Nothing on stderr but errors and warnings.")
    void quiet(boolean quiet) {
        this.quiet = quiet;
        if (quiet) {
            System.setProperty(LEVEL, "warn");
        }
    }
}
