package org.taylorism;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

/**
 * An application class-data archive (AppCDS) for worker JVMs: the classes a worker JVM loads (taylorism,
 * Jackson, the JDK's) mapped from a file instead of parsed again, which halves a worker JVM's start.
 *
 * <p>One archive per JDK, class path, and size and date of each class path entry, kept in
 * {@code $XDG_CACHE_HOME/taylorism/cds} (or {@code ~/.cache/taylorism/cds}). When it is missing, one
 * training JVM builds it in the background ({@code -XX:ArchiveClassesAtExit}) while the first workers start
 * without it; a changed class path or jar gives a new key, hence a new archive. Wherever the JVM cannot make
 * or use one, workers start without it, silently ({@code -Xshare:auto}).
 */
final class ClassDataArchive {

    private static final Logger log = LoggerFactory.getLogger(ClassDataArchive.class);
    private static final Map<String, CompletableFuture<Path>> BUILDS = new ConcurrentHashMap<>();
    private static final Map<String, String> KEYS = new ConcurrentHashMap<>();

    private final String javaExecutable;
    private final List<String> javaOptions;
    private final String classpath;
    /** Asked for at the first launch; used by the Boss thread only. */
    private CompletableFuture<Path> build;
    private List<String> readyOptions;

    private ClassDataArchive(String javaExecutable, List<String> javaOptions, String classpath) {
        this.javaExecutable = javaExecutable;
        this.javaOptions = List.copyOf(javaOptions);
        this.classpath = classpath;
    }

    /** The archive of one Boss's worker JVMs: this JVM executable, these options and this class path. */
    static ClassDataArchive forWorkers(String javaExecutable, List<String> javaOptions, String classpath) {
        return new ClassDataArchive(javaExecutable, javaOptions, classpath);
    }

    /**
     * The JVM options that use the archive, or none while it is not ready; the first call looks for it, or
     * starts building it in the background. Cheap once the archive is there: it is asked at every launch.
     */
    List<String> options() {
        if (readyOptions != null) {
            return readyOptions;
        }
        if (build == null) {
            build = find(javaExecutable, javaOptions, classpath);
        }
        Path archive = build.getNow(null);
        if (archive == null) {
            return List.of();
        }
        readyOptions = List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
        return readyOptions;
    }

    private static CompletableFuture<Path> find(String javaExecutable, List<String> javaOptions, String classpath) {
        // The key is read once per JVM and class path in this process; a Boss's class path does not change.
        String key = KEYS.computeIfAbsent(javaExecutable + File.pathSeparator + classpath, k -> {
            try {
                return key(javaExecutable, classpath);
            } catch (IOException | NoSuchAlgorithmException e) {
                return "";
            }
        });
        if (key.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return BUILDS.computeIfAbsent(key,
                k -> CompletableFuture.supplyAsync(() -> buildOrFind(k, javaExecutable, javaOptions, classpath), ClassDataArchive::inBackground));
    }

    private static void inBackground(Runnable task) {
        Thread thread = new Thread(task, "taylorism-cds-training");
        thread.setDaemon(true);
        thread.start();
    }

    private static Path buildOrFind(String key, String javaExecutable, List<String> javaOptions, String classpath) {
        Path directory = cacheDirectory();
        Path archive = directory.resolve(key + ".jsa");
        if (Files.isRegularFile(archive)) {
            return archive;
        }
        try {
            Files.createDirectories(directory);
            deleteAbandonedPartials(directory);
            Path training = Files.createTempDirectory("taylorism-cds-");
            Path partial = directory.resolve(key + "." + ProcessHandle.current().pid() + ".partial");
            List<String> command = new ArrayList<>();
            command.add(javaExecutable);
            command.addAll(javaOptions);
            command.add("-XX:ArchiveClassesAtExit=" + partial);
            command.add("-cp");
            command.add(classpath);
            command.add(WorkerMain.class.getName());
            command.add("--train");
            command.add(training.toString());
            // Its standard input stays a pipe from this JVM: the training JVM exits when this one dies.
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(Redirect.to(training.resolve("training.log").toFile())).start();
            boolean ended = process.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            if (ended && process.exitValue() == 0 && Files.isRegularFile(partial)) {
                Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.debug("Built the class-data archive {} for worker JVMs", archive);
                deleteTree(training); // kept only when the training failed, for its log
                return archive;
            }
            Files.deleteIfExists(partial);
            log.debug("No class-data archive for worker JVMs (training ended with {}); see {}", ended ? process.exitValue() : "a timeout",
                    training.resolve("training.log"));
        } catch (IOException e) {
            log.debug("No class-data archive for worker JVMs: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /**
     * A Boss JVM that exits while its training JVM runs leaves that JVM's partial archive behind (8 MB or so):
     * those older than any training can last are removed before a new training starts.
     */
    private static void deleteAbandonedPartials(Path directory) {
        long before = System.currentTimeMillis() - TimeUnit.MINUTES.toMillis(10);
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(file -> file.getFileName().toString().endsWith(".partial")).forEach(file -> {
                try {
                    if (Files.getLastModifiedTime(file).toMillis() < before) {
                        Files.deleteIfExists(file);
                    }
                } catch (IOException e) {
                    log.debug("Could not remove the abandoned partial archive {}: {}", file, e.getMessage());
                }
            });
        } catch (IOException e) {
            log.debug("Could not look for abandoned partial archives in {}: {}", directory, e.getMessage());
        }
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            log.debug("Could not remove the training directory {}: {}", directory, e.getMessage());
        }
    }

    private static Path cacheDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("taylorism").resolve("cds");
    }

    /** What decides whether an archive fits: the JDK, the class path, and each entry's size and date. */
    private static String key(String javaExecutable, String classpath) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        StringBuilder text = new StringBuilder(javaExecutable).append('\n').append(System.getProperty("java.vm.version")).append('\n');
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
