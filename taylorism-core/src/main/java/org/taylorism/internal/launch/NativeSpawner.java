package org.taylorism.internal.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.internal.UserDirectories;

/**
 * The native process spawner's binary: compiled once per machine (and per version of its source) from
 * {@code spawner.c} with the system's C compiler into {@code $XDG_CACHE_HOME/taylorism/spawner} (or
 * {@code ~/.cache/taylorism/spawner}), then reused by every Boss. Where there is no compiler, or it fails,
 * there is none, and the perl spawner serves.
 */
final class NativeSpawner {

    private static final Logger log = LoggerFactory.getLogger(NativeSpawner.class);
    private static final long COMPILE_TIMEOUT_SECONDS = 60;

    private static boolean tried;
    private static Path binary;

    private NativeSpawner() {
    }

    /** The binary, built now if this machine has none yet; null when it cannot be. */
    static synchronized Path binary() {
        if (!tried) {
            tried = true;
            binary = findOrBuild();
        }
        return binary;
    }

    /** Throws the cached binary away (it did not run) and builds it again; null when that cannot be. */
    static synchronized Path rebuild() {
        if (binary != null) {
            try {
                Files.deleteIfExists(binary);
            } catch (IOException e) {
                log.debug("Cannot remove {}: {}", binary, e.getMessage());
            }
        }
        binary = findOrBuild();
        return binary;
    }

    private static Path findOrBuild() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return null; // spawner.c uses Linux's signalfd
        }
        try (InputStream source = NativeSpawner.class.getResourceAsStream("spawner.c")) {
            if (source == null) {
                return null;
            }
            byte[] code = source.readAllBytes();
            Path directory = UserDirectories.cache("spawner").resolve(key(code));
            Path target = directory.resolve("taylorism-spawner");
            if (Files.isExecutable(target)) {
                return target;
            }
            Files.createDirectories(directory);
            Path sourceFile = Files.createTempFile(directory, "spawner-", ".c");
            Path built = Files.createTempFile(directory, "taylorism-spawner-", ".tmp");
            try {
                Files.write(sourceFile, code);
                long start = System.nanoTime();
                Path output = Files.createTempFile(directory, "cc-", ".log");
                Process compiler = new ProcessBuilder("cc", "-O2", "-o", built.toString(), sourceFile.toString())
                        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
                boolean done = compiler.waitFor(COMPILE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                String said = Files.readString(output).strip();
                Files.deleteIfExists(output);
                if (!done) {
                    compiler.destroyForcibly();
                    log.info("Building the native process spawner took over {} s; using perl's", COMPILE_TIMEOUT_SECONDS);
                    return null;
                }
                if (compiler.exitValue() != 0) {
                    log.info("Could not build the native process spawner (cc exited with {}: {}); using perl's", compiler.exitValue(), said);
                    return null;
                }
                // Another JVM may be building the same: the move is atomic, either binary is fine.
                Files.move(built, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.info("Built the native process spawner {} in {} ms, once for this machine", target,
                        (System.nanoTime() - start) / 1_000_000);
                return target;
            } finally {
                Files.deleteIfExists(sourceFile);
                Files.deleteIfExists(built);
            }
        } catch (IOException e) {
            log.debug("No native process spawner: {}", e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The source and the machine's architecture decide which binary fits. */
    private static String key(byte[] code) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(code);
            digest.update(System.getProperty("os.arch", "").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }
}
