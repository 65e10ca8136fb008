package org.taylorism.internal;

import java.nio.file.Path;

/**
 * Where taylorism keeps files of the user's across runs, as the XDG base directory specification says: a
 * cache ({@code $XDG_CACHE_HOME}, else {@code ~/.cache}) for what can be rebuilt (the native spawner, class-data
 * archives), and state ({@code $XDG_STATE_HOME}, else {@code ~/.local/state}) for what cannot (the run store and
 * its runs' files). Each part of taylorism has its own place below {@code taylorism/}.
 */
public final class UserDirectories {

    private UserDirectories() {
    }

    /** {@code $XDG_CACHE_HOME/taylorism/PART}, or {@code ~/.cache/taylorism/PART}. */
    public static Path cache(String part) {
        return base("XDG_CACHE_HOME", ".cache").resolve("taylorism").resolve(part);
    }

    /** {@code $XDG_STATE_HOME/taylorism/PART}, or {@code ~/.local/state/taylorism/PART}. */
    public static Path state(String part) {
        return base("XDG_STATE_HOME", ".local/state").resolve("taylorism").resolve(part);
    }

    private static Path base(String variable, String underHome) {
        String xdg = System.getenv(variable);
        return xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), underHome);
    }
}
