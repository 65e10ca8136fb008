package org.taylorism.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's live settings kept in a TOML file, re-read whenever it changes (nightskyrunner's way): each edit is
 * read whole and handed on; an edit that is not TOML, or that the settings refuse, is logged naming the file and
 * the line, and the settings stay as they were. Its thread, {@code taylorism-config-N}, ends with {@link #close}.
 *
 * <pre>
 * max_threads = 8
 * max_memory = "16G"
 * halt = "soon,fail=10%"
 * retries = 2
 * [scheduler_options]
 * resources = "gpu=2"
 * </pre>
 */
final class ConfigFile implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigFile.class);
    private static final TomlMapper TOML = new TomlMapper();

    private final Path file;
    private final Consumer<Map<String, Object>> apply;
    private final Consumer<String> rejected;
    private final WatchService watcher;
    private final Thread thread;
    private String lastRead;

    /**
     * Reads {@code file} once and applies it, then watches it.
     *
     * @param apply applies the settings read; throws {@link IllegalArgumentException} naming a bad one
     * @param rejected told why an edit was rejected (the words logged)
     * @throws IllegalArgumentException when the file as it is now cannot be read or applied, naming file and line
     */
    ConfigFile(Path file, Consumer<Map<String, Object>> apply, Consumer<String> rejected, int number) throws IOException {
        this.file = file.toAbsolutePath();
        this.apply = apply;
        this.rejected = rejected;
        String problem = load();
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.watcher = FileSystems.getDefault().newWatchService();
        this.file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        this.thread = new Thread(this::watch, "taylorism-config-" + number);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Reads and applies the file if it changed since it was last read; the problem, or null. */
    private synchronized String load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "cannot read the configuration file " + file + ": " + e;
        }
        if (text.equals(lastRead)) {
            return null;
        }
        lastRead = text;
        Map<String, Object> settings;
        try {
            settings = TOML.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            return file + (where == null || where.getLineNr() < 1 ? "" : " line " + where.getLineNr()) + " is not TOML: "
                    + e.getOriginalMessage();
        }
        Map<String, Object> named = new LinkedHashMap<>();
        settings.forEach((key, value) -> named.put(key.replace('-', '_'), value));
        try {
            apply.accept(named);
        } catch (IllegalArgumentException e) {
            return file + " line " + lineOf(text, e.getMessage()) + ": " + e.getMessage();
        } catch (RuntimeException e) {
            return "the settings of " + file + " could not be applied: " + e.getMessage();
        }
        log.info("Settings read from {}: {}", file, named);
        return null;
    }

    /** The line of {@code text} that sets the setting {@code problem} names first, or "?" when none does. */
    private static String lineOf(String text, String problem) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int equals = line.indexOf('=');
            if (equals > 0) {
                String key = line.substring(0, equals).strip().replace('-', '_').replace("\"", "");
                if (problem.startsWith(key + " ") || problem.startsWith("'" + key + "'") || problem.startsWith(key + ":")) {
                    return String.valueOf(i + 1);
                }
            }
        }
        return "?";
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean ours = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    ours |= event.kind() == StandardWatchEventKinds.OVERFLOW || file.getFileName().equals(event.context());
                }
                key.reset();
                if (ours && Files.exists(file)) {
                    String problem = load();
                    if (problem != null) {
                        log.warn("{}; the settings stay as they were", problem);
                        rejected.accept(problem);
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            log.debug("Could not close the watch of {}", file, e);
        }
        thread.interrupt();
    }
}
