package org.taylorism.internal.engine;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.internal.UserDirectories;
import org.taylorism.internal.child.WorkerMain;

/**
 * An application class-data archive (AppCDS) for worker JVMs: the classes a worker JVM loads (taylorism,
 * Jackson, the JDK's) mapped from a file instead of parsed again, which halves a worker JVM's start.
 *
 * <p>One archive per JDK, worker JVM options, class path, and size and date of each class path entry, kept in
 * {@code $XDG_CACHE_HOME/taylorism/cds} (or {@code ~/.cache/taylorism/cds}). When it is missing, one
 * training JVM builds it in the background while the first workers start without it; a changed class path or jar
 * gives a new key, hence a new archive. Wherever the JVM cannot make or use one, workers start without it,
 * silently. Worker JVMs of JDK 25 or newer get the JDK's AOT cache ({@code -XX:AOTCacheOutput}: classes loaded
 * and linked, and method profiles), older ones a dynamic CDS archive ({@code -XX:ArchiveClassesAtExit}); see
 * {@link Kind}.
 *
 * <p>The cache stays bounded: each archive's date says when a Boss last used it, and building a new one
 * removes all but the {@value #KEPT_ARCHIVES} most recently used (every rebuilt jar makes a new key, 8 MB
 * each). A class path that cannot be archived (JDK 17 refuses non-empty directories, such as
 * {@code target/classes}) is not tried; a training that fails leaves one log per key,
 * {@code KEY.failed.log}, and is not tried again for a day.
 */
final class ClassDataArchive {

    static final int KEPT_ARCHIVES = 8;
    private static final Duration RETRY_FAILED_AFTER = Duration.ofDays(1);
    private static final Duration LONGEST_TRAINING = Duration.ofMinutes(2);

    private static final Logger log = LoggerFactory.getLogger(ClassDataArchive.class);
    /** Lookups and builds by cache directory and key: at most one per JVM process. */
    private static final Map<String, CompletableFuture<Path>> BUILDS = new ConcurrentHashMap<>();
    private static final Map<String, String> KEYS = new ConcurrentHashMap<>();

    /** What a worker JDK maps its classes from, by its version. */
    enum Kind {
        /** JDK 17 to 24: a dynamic application CDS archive, dumped as the training JVM exits. */
        CDS(".jsa") {
            @Override
            List<String> trainingOptions(Path output) {
                return List.of("-XX:ArchiveClassesAtExit=" + output);
            }

            @Override
            List<String> options(Path archive) {
                return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
            }
        },
        /**
         * JDK 25 and newer: an AOT cache, assembled once the training JVM ends (JEP 514), with classes linked and
         * method profiles as well (JEP 483, 515). A cache that no longer fits is skipped without a word on the
         * worker's output.
         */
        AOT_CACHE(".aot") {
            @Override
            List<String> trainingOptions(Path output) {
                return List.of("-XX:AOTCacheOutput=" + output);
            }

            @Override
            List<String> options(Path archive) {
                return List.of("-XX:AOTCache=" + archive, "-Xlog:aot=off", "-Xlog:cds=off");
            }
        };

        private final String extension;

        Kind(String extension) {
            this.extension = extension;
        }

        /** The options of the training JVM that writes the archive to {@code output}. */
        abstract List<String> trainingOptions(Path output);

        /** The options of a worker JVM that uses {@code archive}. */
        abstract List<String> options(Path archive);

        String extension() {
            return extension;
        }

        /** The kind a JDK of this feature version (25 for 25.0.3) makes; 0 when unknown. */
        static Kind of(int featureVersion) {
            return featureVersion >= 25 ? AOT_CACHE : CDS;
        }
    }

    private final String javaExecutable;
    private final List<String> javaOptions;
    private final String classpath;
    private final Path cacheDirectory;
    private final WorkerJdk jdk;
    /** Asked for at the first launch; used by the Boss thread only, as are the fields below. */
    private CompletableFuture<Path> build;
    private String buildKey;
    private List<String> readyOptions;
    private Path readyArchive;
    private long readyCheckedAt;

    private final long recheckReadyNanos;

    private ClassDataArchive(String javaExecutable, List<String> javaOptions, String classpath, Path cacheDirectory, Duration recheckReady) {
        this.javaExecutable = javaExecutable;
        this.javaOptions = List.copyOf(javaOptions);
        this.classpath = classpath;
        this.cacheDirectory = cacheDirectory;
        this.recheckReadyNanos = recheckReady.toNanos();
        this.jdk = WorkerJdk.of(javaExecutable);
    }

    /** The archive of one Boss's worker JVMs: this JVM executable, these options and this class path. */
    static ClassDataArchive forWorkers(String javaExecutable, List<String> javaOptions, String classpath) {
        return forWorkers(javaExecutable, javaOptions, classpath, UserDirectories.cache("cds"), Duration.ofMinutes(1));
    }

    /**
     * The same, with its archives kept in {@code cacheDirectory}, and a ready archive checked for (and its
     * date set) every {@code recheckReady} (a minute for a Boss).
     */
    static ClassDataArchive forWorkers(String javaExecutable, List<String> javaOptions, String classpath, Path cacheDirectory,
                                       Duration recheckReady) {
        return new ClassDataArchive(javaExecutable, javaOptions, classpath, cacheDirectory, recheckReady);
    }

    /**
     * The JVM options that use the archive, or none while it is not ready; the first call looks for it, or
     * starts building it in the background. Cheap once the archive is there: it is asked at every launch.
     */
    List<String> options() {
        if (readyOptions != null) {
            if (System.nanoTime() - readyCheckedAt < recheckReadyNanos) {
                return readyOptions;
            }
            // A Boss that lives for days: its archive stays among the most recently used while it does, and
            // one removed by another process's clean-up (or by hand) is looked for, or built, again.
            readyCheckedAt = System.nanoTime();
            if (markUsed(readyArchive)) {
                return readyOptions;
            }
            BUILDS.remove(buildKey, build);
            readyOptions = null;
            build = null;
        }
        Path archive = archive().getNow(null);
        if (archive == null) {
            return List.of();
        }
        readyArchive = archive;
        readyCheckedAt = System.nanoTime();
        readyOptions = jdk.kind().options(archive);
        return readyOptions;
    }

    /** The archive once found or built; {@code null} when there is none to be had. Starts the lookup. */
    CompletableFuture<Path> archive() {
        if (build == null) {
            build = find();
        }
        return build;
    }

    /** Forgets this process's lookups, as a new JVM would: tests see the cache on disk again. */
    static void forgetLookups() {
        BUILDS.clear();
        KEYS.clear();
    }

    private CompletableFuture<Path> find() {
        String unusable = unarchivableEntry(classpath);
        if (unusable != null) {
            log.debug("No class-data archive for worker JVMs: the class path entry {} is a directory that is not empty (or cannot be listed),"
                    + " which a JDK 17 archive cannot hold", unusable);
            return CompletableFuture.completedFuture(null);
        }
        // The key is read once per JVM, options and class path in this process; a Boss's class path does not change.
        String key = KEYS.computeIfAbsent(javaExecutable + File.pathSeparator + javaOptions + File.pathSeparator + classpath, k -> {
            try {
                return key(javaExecutable, jdk, javaOptions, classpath);
            } catch (IOException | NoSuchAlgorithmException e) {
                return "";
            }
        });
        if (key.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        buildKey = cacheDirectory + File.pathSeparator + key;
        // Whatever goes wrong in the background means no archive, never a launch that fails.
        return BUILDS.computeIfAbsent(buildKey, k -> CompletableFuture.supplyAsync(() -> buildOrFind(key), ClassDataArchive::inBackground)
                .exceptionally(error -> {
                    log.debug("No class-data archive for worker JVMs", error);
                    return null;
                }));
    }

    private static void inBackground(Runnable task) {
        Thread thread = new Thread(task, "taylorism-cds-training");
        thread.setDaemon(true);
        thread.start();
    }

    private Path buildOrFind(String key) {
        Kind kind = jdk.kind();
        Path archive = cacheDirectory.resolve(key + kind.extension());
        Path failedLog = cacheDirectory.resolve(key + ".failed.log");
        if (markUsed(archive)) {
            return archive;
        }
        if (failedRecently(failedLog)) {
            log.debug("No class-data archive for worker JVMs: its training failed less than a day ago; see {}", failedLog);
            return null;
        }
        Path training = cacheDirectory.resolve(key + "." + ProcessHandle.current().pid() + ".training");
        Path partial = cacheDirectory.resolve(key + "." + ProcessHandle.current().pid() + ".partial");
        try {
            Files.createDirectories(cacheDirectory);
            deleteAbandoned(cacheDirectory);
            deleteTree(training);
            Files.createDirectories(training);
            List<String> command = new ArrayList<>();
            command.add(javaExecutable);
            command.addAll(javaOptions);
            command.addAll(kind.trainingOptions(partial));
            command.add("-cp");
            command.add(classpath);
            command.add(WorkerMain.class.getName());
            command.add("--train");
            command.add(training.toString());
            // Its standard input stays a pipe from this JVM: the training JVM exits when this one dies.
            Path trainingLog = training.resolve("training.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Redirect.to(trainingLog.toFile())).start();
            boolean ended = process.waitFor(LONGEST_TRAINING.toSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                // Gone before the partial archive is removed below, not dumping it again afterwards.
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            if (ended && process.exitValue() == 0 && Files.isRegularFile(partial)) {
                Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.deleteIfExists(failedLog);
                log.debug("Built the class-data archive {} for worker JVMs", archive);
                deleteLeastRecentlyUsed(cacheDirectory, archive);
                return archive;
            }
            Files.deleteIfExists(partial);
            if (Files.exists(trainingLog)) {
                Files.move(trainingLog, failedLog, StandardCopyOption.REPLACE_EXISTING);
            }
            log.debug("No class-data archive for worker JVMs (training ended with {}); see {}", ended ? process.exitValue() : "a timeout", failedLog);
        } catch (IOException | RuntimeException e) {
            log.debug("No class-data archive for worker JVMs: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteTree(training);
        }
        return null;
    }

    /**
     * JDK 17 archives only jars (and empty directories) on the class path: returns the first entry that
     * rules an archive out, or {@code null}.
     */
    static String unarchivableEntry(String classpath) {
        for (String entry : classpath.split(File.pathSeparator)) {
            Path path = Path.of(entry.isEmpty() ? "." : entry);
            if (Files.isDirectory(path)) {
                try (Stream<Path> children = Files.list(path)) {
                    if (children.findAny().isPresent()) {
                        return entry.isEmpty() ? "." : entry;
                    }
                } catch (IOException e) {
                    return entry;
                }
            }
        }
        return null;
    }

    /**
     * The archive's date records its last use, which decides what the cache keeps. Returns whether the
     * archive is there (one the date cannot be set on, in a cache shared read-only, still is).
     */
    private static boolean markUsed(Path archive) {
        try {
            Files.setLastModifiedTime(archive, FileTime.from(Instant.now()));
            return true;
        } catch (IOException e) {
            return Files.isRegularFile(archive);
        }
    }

    private static boolean failedRecently(Path failedLog) {
        try {
            return Files.getLastModifiedTime(failedLog).toInstant().isAfter(Instant.now().minus(RETRY_FAILED_AFTER));
        } catch (IOException e) {
            return false; // no log: never failed
        }
    }

    /** Keeps the {@value #KEPT_ARCHIVES} most recently used archives, the new one among them. */
    private static void deleteLeastRecentlyUsed(Path directory, Path kept) {
        List<Path> archives;
        try (Stream<Path> files = Files.list(directory)) {
            archives = files.filter(file -> isArchive(file.getFileName().toString()) && !file.equals(kept))
                    .sorted(Comparator.comparingLong((Path file) -> file.toFile().lastModified()).reversed()).toList();
        } catch (IOException e) {
            log.debug("Could not list the class-data archives in {}: {}", directory, e.getMessage());
            return;
        }
        // A worker JVM that has the file open (or mapped) keeps it until it exits; a new one starts without it.
        for (Path old : archives.subList(Math.min(archives.size(), KEPT_ARCHIVES - 1), archives.size())) {
            try {
                Files.deleteIfExists(old);
                log.debug("Removed the class-data archive {}, the least recently used", old);
            } catch (IOException e) {
                log.debug("Could not remove the class-data archive {}: {}", old, e.getMessage());
            }
        }
    }

    private static boolean isArchive(String fileName) {
        for (Kind kind : Kind.values()) {
            if (fileName.endsWith(kind.extension())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A Boss JVM that exits while its training JVM runs leaves that training's partial archive (8 MB or so)
     * and directory behind: those older than any training can last are removed before a new training starts,
     * and so are failure logs that no longer stop a retry.
     */
    private static void deleteAbandoned(Path directory) {
        long abandoned = System.currentTimeMillis() - LONGEST_TRAINING.multipliedBy(5).toMillis();
        long stale = System.currentTimeMillis() - RETRY_FAILED_AFTER.toMillis();
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(file -> {
                String name = file.getFileName().toString();
                long modified = file.toFile().lastModified();
                // An AOT training leaves its configuration beside its partial cache.
                return (name.endsWith(".partial") || name.endsWith(".partial.config") || name.endsWith(".training")) && modified < abandoned
                        || name.endsWith(".failed.log") && modified < stale;
            }).forEach(ClassDataArchive::deleteTree);
        } catch (IOException e) {
            log.debug("Could not look for abandoned trainings in {}: {}", directory, e.getMessage());
        }
    }

    private static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        // Another Boss process may be removing the same abandoned training: files vanishing under the walk are fine.
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.debug("Could not remove {}: {}", path, e.getMessage());
        }
    }

    /**
     * What decides whether an archive fits: the JDK, the worker JVMs' options (a garbage collector or heap
     * size can make an archive unusable, or its training fail), the class path, and each entry's size and date.
     */
    private static String key(String javaExecutable, WorkerJdk jdk, List<String> javaOptions, String classpath)
            throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        // The worker JDK's own version where its release file says it: a JDK updated in place needs a new archive.
        String version = jdk.runtimeVersion() != null ? jdk.runtimeVersion() : System.getProperty("java.vm.version");
        StringBuilder text = new StringBuilder(javaExecutable).append('\n').append(version).append('\n');
        for (String option : javaOptions) {
            text.append(option).append('\n');
        }
        text.append("--\n");
        for (String entry : classpath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            text.append(entry).append('\n');
            if (Files.exists(path)) {
                text.append(Files.size(path)).append(' ').append(Files.getLastModifiedTime(path).toMillis()).append('\n');
            }
        }
        return HexFormat.of().formatHex(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 24);
    }
}
