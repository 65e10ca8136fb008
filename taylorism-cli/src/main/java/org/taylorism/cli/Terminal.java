package org.taylorism.cli;

import org.taylorism.ErrorInfo;

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

    /**
     * {@code text} safe to print on a terminal: control characters (an escape sequence that clears the screen or
     * sets the title, a carriage return that hides what came before) and bidirectional overrides become visible
     * escapes (the escape character becomes backslash, x, 1, b). For what workers and instructions say: names,
     * errors, the tail of standard error.
     */
    static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder safe = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069';
            if (control && safe == null) {
                safe = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (safe != null) {
                safe.append(!control ? String.valueOf(c) : c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("<U+%04X>", (int) c));
            }
        }
        return safe == null ? text : safe.toString();
    }

    /** Colours only on a terminal, never with NO_COLOR set (https://no-color.org) or TERM=dumb. */
    static boolean colours(boolean terminal) {
        String noColor = System.getenv("NO_COLOR");
        return terminal && (noColor == null || noColor.isEmpty()) && !"dumb".equals(System.getenv("TERM"));
    }

    /**
     * An error in one line for people: its message (its first line), without the Java class name of its type unless
     * {@code withType} (-v); the type's simple name when it has no message.
     */
    static String errorLine(ErrorInfo error, boolean withType) {
        if (withType || error.message() == null || error.message().isBlank()) {
            return withType ? printable(error.oneLine()) : printable(error.type().substring(Math.max(error.type().lastIndexOf('.'),
                    error.type().lastIndexOf('$')) + 1));
        }
        String message = error.message();
        int newline = message.indexOf('\n');
        return printable(newline < 0 ? message : message.substring(0, newline) + " ...");
    }
}
