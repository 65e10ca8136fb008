package org.taylorism.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.internal.child.WorkerMain;

/** The class-data archive of worker JVMs, built by a real training JVM into a cache of the test's own. */
class ClassDataArchiveTest {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path scratch;
    private Path cache;

    @BeforeEach
    void newProcessView() {
        cache = scratch.resolve("cds");
        ClassDataArchive.forgetLookups();
    }

    @AfterEach
    void forgetThisTestsCache() {
        ClassDataArchive.forgetLookups();
    }

    @Test
    void isBuiltOnceThenReusedAndTheCacheKeepsOnlyTheMostRecentlyUsed() throws Exception {
        String classpath = jarClassPath("core.jar");
        Files.createDirectories(cache);
        List<Path> older = new ArrayList<>();
        for (int i = 0; i < ClassDataArchive.KEPT_ARCHIVES + 2; i++) {
            Path archive = cache.resolve("older-" + i + ".jsa");
            Files.writeString(archive, "not really an archive");
            Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minus(Duration.ofDays(i + 1))));
            older.add(archive);
        }

        ClassDataArchive first = ClassDataArchive.forWorkers(JAVA, List.of(), classpath, cache, Duration.ofMinutes(1));
        assertEquals(List.of(), first.options(), "no options before the archive exists");
        Path built = first.archive().get(50, TimeUnit.SECONDS);

        assertNotNull(built, "no archive; see " + cache);
        assertEquals(List.of("-XX:SharedArchiveFile=" + built, "-Xshare:auto"), first.options());
        assertEquals(List.of(built.getFileName().toString()), leftovers(), "nothing but archives is left in the cache");
        try (Stream<Path> archives = Files.list(cache)) {
            assertEquals(ClassDataArchive.KEPT_ARCHIVES, archives.count());
        }
        for (int i = 0; i < older.size(); i++) {
            assertEquals(i < ClassDataArchive.KEPT_ARCHIVES - 1, Files.exists(older.get(i)), older.get(i) + " kept or removed wrongly");
        }

        // Another Boss process finds it on disk, uses it as it is, and its date records the use.
        Object identity = Files.readAttributes(built, "unix:ino").get("ino");
        Files.setLastModifiedTime(built, FileTime.from(Instant.now().minus(Duration.ofDays(3))));
        ClassDataArchive.forgetLookups();
        ClassDataArchive second = ClassDataArchive.forWorkers(JAVA, List.of(), classpath, cache, Duration.ofMinutes(1));

        assertEquals(built, second.archive().get(50, TimeUnit.SECONDS));
        assertEquals(identity, Files.readAttributes(built, "unix:ino").get("ino"), "the archive was rebuilt");
        assertTrue(Files.getLastModifiedTime(built).toInstant().isAfter(Instant.now().minus(Duration.ofHours(1))),
                "the archive's date does not record its use");
    }

    @Test
    void aWorkerJvmLoadsItsClassesFromTheArchive() throws Exception {
        String classpath = jarClassPath("core.jar");
        ClassDataArchive archive = ClassDataArchive.forWorkers(JAVA, List.of(), classpath, cache, Duration.ofMinutes(1));
        assertNotNull(archive.archive().get(50, TimeUnit.SECONDS), "no archive; see " + cache);
        assertWorkerLoadsFrom(JAVA, archive, classpath);
    }

    /** A worker JVM of {@code java} with {@code archive}'s options runs a task, its classes loaded from the archive. */
    private void assertWorkerLoadsFrom(String java, ClassDataArchive archive, String classpath) throws Exception {
        Path resultFile = scratch.resolve("result.json");
        Path taskFile = scratch.resolve("task.json");
        Files.writeString(taskFile, "{\"workerClass\":\"" + WorkerMain.Training.class.getName() + "\",\"name\":\"t\",\"ticket\":0,"
                + "\"values\":{\"training\":[7]},\"resultFile\":\"" + resultFile + "\",\"watchStdin\":false,"
                + "\"fields\":{\"training\":\"" + WorkerMain.Training.class.getName() + "#training\"}}");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(archive.options());
        command.addAll(List.of("-Xlog:class+load=info", "-cp", classpath, WorkerMain.class.getName(), taskFile.toString()));

        Process worker = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(worker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(0, worker.waitFor(), output);
        assertTrue(output.contains(WorkerMain.class.getName() + " source: shared objects file"), "not loaded from the archive:\n" + output);
        assertTrue(Files.readString(resultFile).contains("\"echo\":[7]"), Files.readString(resultFile));
    }

    @Test
    void aChangedJarGetsANewArchive() throws Exception {
        String classpath = jarClassPath("core.jar");
        Path before = ClassDataArchive.forWorkers(JAVA, List.of(), classpath, cache, Duration.ofMinutes(1)).archive().get(50, TimeUnit.SECONDS);
        assertNotNull(before, "no archive; see " + cache);

        jarClassPath("core.jar", "an added entry changes the jar's size");
        ClassDataArchive.forgetLookups();
        Path after = ClassDataArchive.forWorkers(JAVA, List.of(), classpath, cache, Duration.ofMinutes(1)).archive().get(50, TimeUnit.SECONDS);

        assertNotNull(after, "no archive; see " + cache);
        assertNotEquals(before, after);
        assertTrue(Files.isRegularFile(before) && Files.isRegularFile(after));
    }

    @Test
    void aNonEmptyDirectoryOnTheClassPathMeansNoArchiveAndNoTraining() throws Exception {
        Path classes = Files.createDirectories(scratch.resolve("classes"));
        Files.writeString(classes.resolve("Some.class"), "x");
        String classpath = classes + File.pathSeparator + jarClassPath("core.jar");
        assertEquals(classes.toString(), ClassDataArchive.unarchivableEntry(classpath));

        ClassDataArchive archive = ClassDataArchive.forWorkers(JAVA, List.of(), classpath, cache, Duration.ofMinutes(1));

        assertTrue(archive.archive().isDone(), "a training was started");
        assertNull(archive.archive().get());
        assertEquals(List.of(), archive.options());
        assertFalse(Files.exists(cache), "the cache was touched");
        assertNull(ClassDataArchive.unarchivableEntry(Files.createDirectories(scratch.resolve("empty")) + File.pathSeparator + "no-such.jar"));
    }

    @Test
    void aFailedTrainingLeavesOneLogAndIsNotRetriedForADay() throws Exception {
        String classpath = jarClassPath("core.jar");
        List<String> impossible = List.of("-Xmx1k"); // the training JVM cannot even start

        assertNull(ClassDataArchive.forWorkers(JAVA, impossible, classpath, cache, Duration.ofMinutes(1)).archive().get(50, TimeUnit.SECONDS));

        List<String> left = leftovers();
        assertEquals(1, left.size(), "expected one failure log: " + left);
        Path failedLog = cache.resolve(left.get(0));
        assertTrue(failedLog.toString().endsWith(".failed.log"), failedLog.toString());
        assertTrue(Files.readString(failedLog).contains("heap"), Files.readString(failedLog));
        FileTime failedAt = Files.getLastModifiedTime(failedLog);

        ClassDataArchive.forgetLookups();
        ClassDataArchive again = ClassDataArchive.forWorkers(JAVA, impossible, classpath, cache, Duration.ofMinutes(1));

        assertNull(again.archive().get(50, TimeUnit.SECONDS));
        assertEquals(List.of(), again.options());
        assertEquals(failedAt, Files.getLastModifiedTime(failedLog), "the training was tried again");
        assertEquals(left, leftovers());

        // Options are part of the key: workers without the impossible ones still get their archive.
        Path fine = ClassDataArchive.forWorkers(JAVA, List.of(), classpath, cache, Duration.ofMinutes(1)).archive().get(50, TimeUnit.SECONDS);
        assertNotNull(fine, "no archive; see " + cache);
    }

    @Test
    void aLongLivedBossNoticesItsArchiveWasRemovedAndGetsItBack() throws Exception {
        String classpath = jarClassPath("core.jar");
        ClassDataArchive archive = ClassDataArchive.forWorkers(JAVA, List.of(), classpath, cache, Duration.ZERO);
        Path built = archive.archive().get(50, TimeUnit.SECONDS);
        assertNotNull(built, "no archive; see " + cache);
        assertEquals(List.of("-XX:SharedArchiveFile=" + built, "-Xshare:auto"), archive.options());

        Files.delete(built); // as another process's clean-up would

        assertEquals(List.of(), archive.options(), "options for an archive that is gone");
        assertEquals(built, archive.archive().get(50, TimeUnit.SECONDS));
        assertTrue(Files.isRegularFile(built));
        assertEquals(List.of("-XX:SharedArchiveFile=" + built, "-Xshare:auto"), archive.options());
    }

    /** The cache's files other than archives, and the archive names when there is nothing else. */
    private List<String> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            List<String> names = files.map(file -> file.getFileName().toString()).sorted().toList();
            List<String> notArchives = names.stream().filter(name -> !name.endsWith(".jsa")).toList();
            return notArchives.isEmpty() ? names.stream().filter(name -> !name.startsWith("older-")).toList() : notArchives;
        }
    }

    /**
     * A class path of jars only, as an archive needs: taylorism-core's classes packed into {@code jarName} (with
     * an extra entry when given), and the Jackson and SLF4J jars of the test's own class path.
     */
    private String jarClassPath(String jarName, String... extraEntry) throws Exception {
        Path classes = Path.of(WorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = scratch.resolve(jarName);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
            if (extraEntry.length > 0) {
                out.putNextEntry(new JarEntry("extra.txt"));
                out.write(extraEntry[0].getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        List<String> entries = new ArrayList<>(List.of(jar.toString()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.endsWith(".jar") && (name.startsWith("jackson-") || name.startsWith("slf4j-"))) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    @Test
    void aWorkerJdkSaysItsVersionInItsReleaseFileAndTwentyFiveOnGetsTheAotCache() {
        WorkerJdk temurin = WorkerJdk.of(List.of("IMPLEMENTOR=\"Eclipse Adoptium\"", "JAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"",
                "JAVA_VERSION=\"25.0.3\""));
        assertEquals(new WorkerJdk(25, "25.0.3+9-LTS"), temurin);
        assertEquals(ClassDataArchive.Kind.AOT_CACHE, temurin.kind());
        assertEquals(ClassDataArchive.Kind.CDS, WorkerJdk.of(List.of("JAVA_VERSION=\"17.0.15\"")).kind());
        assertEquals(ClassDataArchive.Kind.CDS, WorkerJdk.of(List.of("nothing to say")).kind(), "unknown: the archive every JDK 17+ makes");
        assertEquals(17, WorkerJdk.of(JAVA).featureVersion(), "this JVM's own release file");
        assertEquals(new WorkerJdk(0, null), WorkerJdk.of(scratch.resolve("no-such-java").toString()));
    }

    @Test
    void aJdk25WorkerGetsAnAotCacheThatItsJvmLoadsItsClassesFrom() throws Exception {
        String java25 = jdkOfAtLeast(25);
        org.junit.jupiter.api.Assumptions.assumeTrue(java25 != null, "no JDK 25 or newer in /usr/lib/jvm");
        String classpath = jarClassPath("core.jar");
        ClassDataArchive archive = ClassDataArchive.forWorkers(java25, List.of(), classpath, cache, Duration.ofMinutes(1));
        // Its training runs the tasks, then a second JVM assembles the cache: a loaded machine takes its time.
        Path built = archive.archive().get(4, TimeUnit.MINUTES);
        assertNotNull(built, "no AOT cache; see " + cache);
        assertTrue(built.getFileName().toString().endsWith(".aot"), built.toString());
        assertEquals(List.of("-XX:AOTCache=" + built, "-Xlog:aot=off", "-Xlog:cds=off"), archive.options());
        assertEquals(List.of(built.getFileName().toString()), leftovers(), "nothing but the cache is left");
        assertWorkerLoadsFrom(java25, archive, classpath);
    }

    /** The java of a JDK under /usr/lib/jvm of at least {@code feature}, or null. */
    private static String jdkOfAtLeast(int feature) throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.map(home -> home.resolve("bin/java")).filter(Files::isExecutable)
                    .filter(java -> WorkerJdk.of(java.toString()).featureVersion() >= feature).map(Path::toString).findFirst().orElse(null);
        }
    }
}
