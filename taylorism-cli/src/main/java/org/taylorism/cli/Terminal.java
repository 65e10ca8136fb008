package org.taylorism.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about where stderr goes. */
final class Terminal {

    private Terminal() {
    }

    /**
     * Whether standard error is a terminal. Java has no isatty for one stream; on Linux the file behind
     * descriptor 2 tells ({@code /dev/pts/N}, {@code /dev/ttyN}). {@code TAYLORISM_TERMINAL=true|false} overrides.
     */
    static boolean stderrIsTerminal() {
        String forced = System.getenv("TAYLORISM_TERMINAL");
        if (forced != null) {
            return Boolean.parseBoolean(forced);
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** Colours only on a terminal, never with NO_COLOR set (https://no-color.org) or TERM=dumb. */
    static boolean colours(boolean terminal) {
        String noColor = System.getenv("NO_COLOR");
        return terminal && (noColor == null || noColor.isEmpty()) && !"dumb".equals(System.getenv("TERM"));
    }
}
