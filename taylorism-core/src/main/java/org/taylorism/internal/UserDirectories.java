package org.taylorism.internal;

import java.nio.file.Path;

/**
 * Where taylorism keeps files of the user's across runs, as the XDG base directory specification says: a
 * cache ({@code $XDG_CACHE_HOME}, else {@code ~/.cache}) for what can be rebuilt (the native spawner, class-data
 * archives), and state ({@code $XDG_STATE_HOME}, else {@code ~/.local/state}) for what cannot (the run store and
 * its runs' files), and the runtime directory ({@code $XDG_RUNTIME_DIR}, else state) for what lives only while a
 * process does (a server's address and token). Each part of taylorism has its own place below {@code taylorism/}.
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

    /**
     * {@code $XDG_RUNTIME_DIR/taylorism/PART} (a directory only its user can enter, emptied at logout), or
     * {@code state(PART)} where there is none.
     */
    public static Path runtime(String part) {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "taylorism", part) : state(part);
    }

    private static Path base(String variable, String underHome) {
        String xdg = System.getenv(variable);
        return xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), underHome);
    }
}
