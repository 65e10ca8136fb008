package org.taylorism.internal.engine;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JDK a worker JVM runs on, as its {@code release} file says ({@code JAVA_VERSION="25.0.3"}): read, not asked of a
 * JVM started for it, since a Boss learns it at its first launch.
 *
 * @param featureVersion 17 for 17.0.15, 25 for 25.0.3; 0 when the release file cannot be read
 * @param runtimeVersion {@code JAVA_RUNTIME_VERSION}, or null
 */
record WorkerJdk(int featureVersion, String runtimeVersion) {

    private static final WorkerJdk UNKNOWN = new WorkerJdk(0, null);

    /** The JDK of {@code javaExecutable} (a path, or a name looked for on the PATH); unknown when it cannot be told. */
    static WorkerJdk of(String javaExecutable) {
        Path executable = onPath(javaExecutable);
        if (executable == null) {
            return UNKNOWN;
        }
        try {
            Path home = executable.toRealPath().getParent().getParent();
            Path release = home == null ? null : home.resolve("release");
            if (release == null || !Files.isRegularFile(release)) {
                return UNKNOWN;
            }
            return of(Files.readAllLines(release));
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    /** The JDK a release file's lines describe. */
    static WorkerJdk of(List<String> releaseLines) {
        int feature = 0;
        String runtime = null;
        for (String line : releaseLines) {
            if (line.startsWith("JAVA_VERSION=")) {
                String version = unquoted(line.substring("JAVA_VERSION=".length()));
                String first = version.split("[.+-]", 2)[0];
                try {
                    feature = Integer.parseInt(first);
                } catch (NumberFormatException e) {
                    feature = 0;
                }
            } else if (line.startsWith("JAVA_RUNTIME_VERSION=")) {
                runtime = unquoted(line.substring("JAVA_RUNTIME_VERSION=".length()));
            }
        }
        return new WorkerJdk(feature, runtime);
    }

    /** What its worker JVMs map their classes from. */
    ClassDataArchive.Kind kind() {
        return ClassDataArchive.Kind.of(featureVersion);
    }

    private static String unquoted(String value) {
        String trimmed = value.strip();
        return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"") ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
    }

    private static Path onPath(String javaExecutable) {
        if (javaExecutable.contains(File.separator)) {
            return Path.of(javaExecutable);
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, javaExecutable);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
