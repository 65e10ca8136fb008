package org.taylorism.cli;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.taylorism.WorkerRegistry;
import picocli.CommandLine.Option;

/** Where worker classes (and scheduler providers) come from: {@code --classpath}. */
final class WorkerOptions {

    @Option(names = "--classpath", paramLabel = "JARS",
            description = "Jars or directories with more worker classes or schedulers, separated by ':'.")
    String classpath;

    private List<Path> entries;
    private ClassLoader loader;

    List<Path> entries() {
        if (entries == null) {
            entries = new ArrayList<>();
            if (classpath != null) {
                for (String entry : classpath.split(File.pathSeparator)) {
                    if (entry.isBlank()) {
                        continue;
                    }
                    Path path = Path.of(entry).toAbsolutePath();
                    if (!Files.exists(path)) {
                        throw new BadInputException("--classpath entry " + entry + " does not exist");
                    }
                    if (Files.isRegularFile(path) && !entry.endsWith(".jar")) {
                        throw new BadInputException("--classpath entry " + entry + " is neither a jar nor a directory");
                    }
                    if (Files.isRegularFile(path)) {
                        try (JarFile jar = new JarFile(path.toFile())) {
                            jar.size(); // opened: it is a jar
                        } catch (IOException e) {
                            throw new BadInputException("--classpath entry " + entry + " is not a jar: " + e.getMessage(), e);
                        }
                    }
                    entries.add(path);
                }
            }
        }
        return entries;
    }

    ClassLoader loader() {
        if (loader == null) {
            List<Path> extra = entries();
            if (extra.isEmpty()) {
                loader = WorkerOptions.class.getClassLoader();
            } else {
                URL[] urls = new URL[extra.size()];
                for (int i = 0; i < urls.length; i++) {
                    try {
                        urls[i] = extra.get(i).toUri().toURL();
                    } catch (MalformedURLException e) {
                        throw new BadInputException("--classpath entry " + extra.get(i) + " is not usable: " + e.getMessage(), e);
                    }
                }
                loader = new URLClassLoader("taylorism-workers", urls, WorkerOptions.class.getClassLoader());
            }
        }
        return loader;
    }

    WorkerRegistry registry() {
        return registry(true);
    }

    /** The worker classes found, with the built-in command worker or without it. */
    WorkerRegistry registry(boolean commandWorker) {
        try {
            WorkerRegistry.Builder builder = WorkerRegistry.builder();
            if (!commandWorker) {
                builder.withoutCommandWorker();
            }
            return builder.discover(loader()).build();
        } catch (IllegalArgumentException | java.util.ServiceConfigurationError e) {
            throw new BadInputException("a worker class on the class path is unusable: " + e.getMessage(), e);
        }
    }

    /** This JVM's class path (absolute: workers may run elsewhere) followed by the extra entries. */
    String workerClasspath() {
        List<String> all = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                all.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        entries().forEach(path -> all.add(path.toString()));
        return String.join(File.pathSeparator, all);
    }
}
