package org.taylorism.spi;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts worker processes through a small resident perl process ({@code spawner.pl}), the way xargs and GNU
 * parallel do: a fork of a small process is cheaper than the JVM's own process launch, the JVM thread that
 * asks does not wait for the fork, each child gets a session of its own without an extra program, and
 * exits come back with the raw wait status. The spawner is also the watchdog: when its standard input ends
 * without a goodbye (this JVM died, even by SIGKILL), it freezes and kills every child's process group.
 *
 * <p>perl-base is an essential package on Debian and present on most Unix systems; where there is no perl,
 * {@link #start()} returns null and the launcher uses the JDK's process launch instead.
 */
final class Spawner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Spawner.class);
    private static final HexFormat HEX = HexFormat.of();
    private static final long START_TIMEOUT_SECONDS = 60;

    /** A child being started or running. */
    private static final class Child {
        final CompletableFuture<Long> started = new CompletableFuture<>();
        final IntConsumer onExit;

        Child(IntConsumer onExit) {
            this.onExit = onExit;
        }
    }

    private final Process perl;
    private final BufferedWriter toSpawner;
    private final Map<Long, Child> children = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    private Spawner(Process perl) {
        this.perl = perl;
        this.toSpawner = new BufferedWriter(new OutputStreamWriter(perl.getOutputStream(), StandardCharsets.US_ASCII));
        Thread reader = new Thread(this::readEvents, "taylorism-spawner-" + perl.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** A running spawner, or null where perl cannot be started. */
    static Spawner start() {
        if (Boolean.getBoolean("taylorism.noSpawner")) {
            return null;
        }
        try (InputStream script = Spawner.class.getResourceAsStream("spawner.pl")) {
            if (script == null) {
                return null;
            }
            Path file = Files.createTempFile("taylorism-spawner-", ".pl");
            Files.write(file, script.readAllBytes());
            file.toFile().deleteOnExit();
            Process perl = new ProcessBuilder("perl", file.toString())
                    .redirectError(Redirect.INHERIT)
                    .start();
            log.debug("Started the process spawner (pid {})", perl.pid());
            return new Spawner(perl);
        } catch (IOException e) {
            log.info("No perl to spawn workers with ({}); using the JDK's process launch", e.getMessage());
            return null;
        }
    }

    /**
     * Starts {@code argv} in a session of its own, with stdin from /dev/null, stdout and stderr to files,
     * and returns its pid once it has been executed; {@code onExit} gets its raw wait status later, on the
     * spawner's reader thread.
     *
     * @throws IOException when it could not be started (the message says why: no such program, a cwd that
     *     does not exist, an output file that cannot be written)
     */
    long spawn(List<String> argv, Path directory, Map<String, String> environment, Path stdout, Path stderr, IntConsumer onExit)
            throws IOException {
        long id = nextId.getAndIncrement();
        Child child = new Child(onExit);
        children.put(id, child);
        StringBuilder line = new StringBuilder("S ").append(id).append(' ')
                .append(directory == null ? "-" : hex(directory.toString())).append(' ')
                .append(hex(stdout.toString())).append(' ').append(hex(stderr.toString())).append(' ')
                .append(environment.size());
        environment.forEach((key, value) -> line.append(' ').append(hex(key + "=" + value)));
        argv.forEach(argument -> line.append(' ').append(hex(argument)));
        try {
            send(line.toString());
            return child.started.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            children.remove(id);
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            children.remove(id);
            throw new IOException("the process spawner did not answer within " + START_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + argv, e);
        } catch (IOException e) {
            children.remove(id);
            throw e;
        }
    }

    /** Sends {@code signal} (TERM, KILL, STOP, CONT) to the process group of the child with this pid. */
    void signal(long pid, String signal) {
        for (Map.Entry<Long, Child> entry : children.entrySet()) {
            Long started = entry.getValue().started.getNow(null);
            if (started != null && started == pid) {
                try {
                    send("K " + entry.getKey() + " " + signal);
                } catch (IOException e) {
                    log.warn("Could not ask the process spawner to send SIG{} to {}: {}", signal, pid, e.getMessage());
                }
                return;
            }
        }
    }

    private synchronized void send(String line) throws IOException {
        if (!perl.isAlive()) {
            throw new IOException("the process spawner is gone (exit code " + perl.exitValue() + ")");
        }
        toSpawner.write(line);
        toSpawner.write('\n');
        toSpawner.flush();
    }

    private void readEvents() {
        try (BufferedReader events = new BufferedReader(new InputStreamReader(perl.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line = events.readLine(); line != null; line = events.readLine()) {
                String[] fields = line.split(" ");
                if (fields.length < 3) {
                    continue;
                }
                long id = Long.parseLong(fields[1]);
                Child child = children.get(id);
                if (child == null) {
                    continue;
                }
                switch (fields[0]) {
                    case "P" -> child.started.complete(Long.parseLong(fields[2]));
                    case "F" -> {
                        children.remove(id);
                        child.started.completeExceptionally(new IOException(new String(HEX.parseHex(fields[2]), StandardCharsets.UTF_8)));
                    }
                    case "E" -> {
                        children.remove(id);
                        try {
                            child.onExit.accept(Integer.parseInt(fields[2]));
                        } catch (RuntimeException e) {
                            log.error("Handling the end of a spawned process failed", e);
                        }
                    }
                    default -> log.warn("The process spawner said something unexpected: {}", line);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Lost the process spawner", e);
        }
        // The spawner is gone: nothing more will be reported; fail what waits, end what runs.
        for (Map.Entry<Long, Child> entry : children.entrySet()) {
            Child child = entry.getValue();
            if (!child.started.isDone()) {
                child.started.completeExceptionally(new IOException("the process spawner is gone"));
            } else {
                log.error("The process spawner died while process {} ran; it is reported as killed", child.started.getNow(null));
                child.onExit.accept(9);
            }
        }
        children.clear();
    }

    /** The exit code a shell would show for a raw wait status: the code, or 128 + the signal. */
    static int exitCode(int waitStatus) {
        int signal = waitStatus & 0x7f;
        return signal != 0 && signal != 0x7f ? 128 + signal : (waitStatus >> 8) & 0xff;
    }

    private static String hex(String text) {
        return HEX.formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    long pid() {
        return perl.pid();
    }

    /** Lets the spawner go: {@code orderly}, it just exits; otherwise it kills every child still running first. */
    @Override
    public void close() {
        close(children.isEmpty());
    }

    void close(boolean orderly) {
        try {
            if (orderly) {
                send("Q");
            }
        } catch (IOException ignored) {
            // gone already
        }
        try {
            synchronized (this) {
                toSpawner.close();
            }
            perl.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException ignored) {
            // gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
