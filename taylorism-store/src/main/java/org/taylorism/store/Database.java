package org.taylorism.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;
import org.taylorism.RunStoreException;

/**
 * How the store's SQLite file is opened. On a local disk: write-ahead logging (readers never wait for the
 * writer) with {@code synchronous=NORMAL} (a crash of the process loses nothing committed; a power loss loses
 * at most the last transactions, never the file). On a network file system, where WAL's shared memory does not
 * work across machines: the rollback journal with {@code synchronous=FULL}, which relies on the file system's
 * locks. Every connection waits up to 30 s for another writer (a second Boss on the same store); writers take
 * the write lock when their transaction begins ({@code BEGIN IMMEDIATE}), so that two never deadlock.
 */
final class Database {

    /** File systems on which SQLite's WAL mode is unsafe (it needs memory shared by every process of the file). */
    private static final Set<String> NETWORK_FILE_SYSTEMS = Set.of("nfs", "nfs4", "cifs", "smb3", "smbfs", "afs", "9p", "ceph",
            "glusterfs", "fuse.glusterfs", "lustre", "gpfs", "beegfs", "fuse.sshfs", "fuse.s3fs", "panfs", "ocfs2", "gfs2");
    private static final int BUSY_TIMEOUT_MILLIS = 30_000;

    private final Path file;
    private final boolean onNetwork;

    private Database(Path file, boolean onNetwork) {
        this.file = file;
        this.onNetwork = onNetwork;
    }

    /**
     * The store at {@code file}, its directory made if needed.
     *
     * @throws RunStoreException naming the file when its directory cannot be made or written
     */
    static Database at(Path file) {
        Path absolute = file.toAbsolutePath();
        Path directory = absolute.getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new RunStoreException("cannot make the directory of the run store " + absolute + ": " + e);
        }
        if (Files.isDirectory(absolute)) {
            throw new RunStoreException("the run store " + absolute + " is a directory, not a file");
        }
        if (isOnReadOnlyFileSystem(directory)) {
            throw new RunStoreException("the run store " + absolute + " cannot be written: " + directory
                    + " is on a read-only file system; choose another place for the store");
        }
        if (!Files.isWritable(directory) || Files.exists(absolute) && !Files.isWritable(absolute)) {
            throw new RunStoreException("the run store " + absolute + " cannot be written (permissions of "
                    + (Files.exists(absolute) ? absolute : directory) + "); choose another place for the store");
        }
        return new Database(absolute, isOnNetwork(directory));
    }

    private static boolean isOnReadOnlyFileSystem(Path directory) {
        try {
            return Files.getFileStore(directory).isReadOnly();
        } catch (IOException e) {
            return false; // then the checks that follow, or opening it, say what is wrong
        }
    }

    Path file() {
        return file;
    }

    /** Whether the store is on a network file system (no WAL then). */
    boolean onNetwork() {
        return onNetwork;
    }

    Connection connect() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        // No generated keys to read back (the keys are ours): the driver would run a query after every insert.
        config.setGetGeneratedKeys(false);
        config.enforceForeignKeys(true);
        // SQLite's multi-thread mode: no mutex taken and released around each call into it (each bind, each step). A
        // connection is used by one thread at a time (the writer's by its thread, the store's under the store's lock, a
        // streamed report's by the thread that streams it),
        // which is all this mode asks; the mutexes cost the writer about 7 % of its time in a probe.
        config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        config.setJournalMode(onNetwork ? SQLiteConfig.JournalMode.DELETE : SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(onNetwork ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    /** The type of the file system {@code directory} is on, from the longest mount point above it in mountinfo. */
    private static boolean isOnNetwork(Path directory) {
        String type = fileSystemType(directory);
        return type != null && NETWORK_FILE_SYSTEMS.contains(type.toLowerCase(Locale.ROOT));
    }

    static String fileSystemType(Path directory) {
        List<String> mounts;
        try {
            mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"));
            directory = directory.toRealPath();
        } catch (IOException e) {
            return null; // not Linux: WAL, as SQLite does by default where it can
        }
        String best = null;
        int bestLength = -1;
        for (String line : mounts) {
            // ID PARENT MAJOR:MINOR ROOT MOUNT-POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER-OPTIONS
            String[] fields = line.split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length < 5 || separator < 0 || separator + 1 >= fields.length) {
                continue;
            }
            String mountPoint = fields[4].replace("\\040", " ");
            if (directory.startsWith(mountPoint) && mountPoint.length() > bestLength) {
                best = fields[separator + 1];
                bestLength = mountPoint.length();
            }
        }
        return best;
    }
}
