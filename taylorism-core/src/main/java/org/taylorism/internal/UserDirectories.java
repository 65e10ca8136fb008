package org.taylorism.internal;

import java.nio.file.Path;

/**
 * Where taylorism keeps files of the user's across runs, as the XDG base directory specification says: a
 * cache ({@code $XDG_CACHE_HOME}, else {@code ~/.cache}) for what can be rebuilt (the native spawner, class-data
 * archives). Each part of taylorism has a directory of its own below {@code taylorism/}.
 */
public final class UserDirectories {

    private UserDirectories() {
    }

    /** {@code $XDG_CACHE_HOME/taylorism/PART}, or {@code ~/.cache/taylorism/PART}. */
    public static Path cache(String part) {
        return base("XDG_CACHE_HOME", ".cache").resolve("taylorism").resolve(part);
    }

    private static Path base(String variable, String underHome) {
        String xdg = System.getenv(variable);
        return xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), underHome);
    }
}
