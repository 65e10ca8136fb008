package org.taylorism;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * An error as text, faithful to what happened in the worker's process: the exception's class name, its
 * message and its whole stack trace (causes included), even when the Boss cannot load that class.
 */
@JsonPropertyOrder({"type", "message", "stackTrace"})
public record ErrorInfo(String type, String message, String stackTrace) {

    public static ErrorInfo of(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return new ErrorInfo(error.getClass().getName(), error.getMessage(), trace.toString());
    }

    public static ErrorInfo of(String type, String message) {
        return new ErrorInfo(type, message, null);
    }

    /**
     * Whether this error is of {@code type}: it names that class, or a class this JVM can find that extends it
     * ({@code error.is(TaylorismException.class)} holds for a {@link WorkerTimedOutException}). The named class is
     * looked up without being initialised, and never instantiated.
     */
    public boolean is(Class<? extends Throwable> type) {
        if (this.type == null) {
            return false;
        }
        if (this.type.equals(type.getName())) {
            return true;
        }
        try {
            ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader() : ClassLoader.getSystemClassLoader();
            return type.isAssignableFrom(Class.forName(this.type, false, loader));
        } catch (ClassNotFoundException | LinkageError unknownHere) {
            return false;
        }
    }

    /** {@code type: message} on one line. */
    public String oneLine() {
        String text = message == null ? type : type + ": " + message;
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline) + " ...";
    }
}
