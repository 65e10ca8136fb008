package org.taylorism.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories and files taylorism makes, readable by their owner only, whatever the umask: a task file holds the
 * instructions (a secret among them, maybe), a result file what a worker returned, a report both. Where the file
 * system has no POSIX permissions, they are made as the platform makes them.
 */
public final class OwnerOnly {

    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private OwnerOnly() {
    }

    /** Makes {@code directory} and those above it that are missing (owner-only); those there already are left as they are. */
    public static Path createDirectories(Path directory) throws IOException {
        try {
            return Files.createDirectories(directory, DIRECTORY);
        } catch (UnsupportedOperationException e) {
            return Files.createDirectories(directory);
        }
    }

    /** Writes {@code content} to {@code file}, made owner-only when it is new; one that exists keeps its mode. */
    public static void write(Path file, byte[] content) throws IOException {
        try (OutputStream out = newOutputStream(file)) {
            out.write(content);
        }
    }

    /** A stream that writes {@code file} over, made owner-only when it is new; one that exists keeps its mode. */
    public static OutputStream newOutputStream(Path file) throws IOException {
        try {
            Files.createFile(file, FILE);
        } catch (FileAlreadyExistsException | UnsupportedOperationException e) {
            // written over below, as it is
        }
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }
}
