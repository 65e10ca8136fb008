package org.taylorism.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The JDK 25 (or newer) that these machines carry beside JDK 17, for row (c)'s AOT cache: found by its release file. */
final class Jdk25 {

    private Jdk25() {
    }

    /** The java executable of a JDK 25 or newer under /usr/lib/jvm, or null. */
    static String java() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(Jdk25::isAtLeast25).map(home -> home.resolve("bin").resolve("java")).filter(Files::isExecutable)
                    .map(Path::toString).findFirst().orElse(null);
        }
    }

    private static boolean isAtLeast25(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    return Integer.parseInt(line.substring("JAVA_VERSION=\"".length()).split("[.\"+-]", 2)[0]) >= 25;
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
        return false;
    }
}
