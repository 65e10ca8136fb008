package org.taylorism.internal.launch;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts worker processes through a small resident process, the way xargs and GNU parallel do: the JVM
 * thread that asks does not wait for the start, each child gets a session of its own without an extra
 * program ({@code setsid}), and exits come back with the raw wait status. The spawner is also the watchdog:
 * when its standard input ends without a goodbye (this JVM died, even by SIGKILL), it freezes and kills
 * every child's process group.
 *
 * <p>Two spawners speak the same line protocol: a native one ({@code spawner.c}, {@code posix_spawn} with
 * {@code POSIX_SPAWN_SETSID}: no page table copied, no extra exec), built once per machine into the user's
 * cache where a C compiler is ({@link NativeSpawner}), and {@code spawner.pl} (fork, setsid, exec) where
 * there is none; perl-base is an essential package on Debian. Where neither runs, or with
 * {@code -Dtaylorism.spawner=false}, the launcher uses the JDK's process launch and {@code setsid}.
 */
final class Spawner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Spawner.class);
    private static final HexFormat HEX = HexFormat.of();
    private static final long READY_TIMEOUT_SECONDS = 10;
    /** How long a request that could not reach the spawner waits for its reader to hear the spawner's end. */
    private static final long END_HEARD_TIMEOUT_SECONDS = 10;

    /** What to do when a child starts, cannot start, or ends; called on the spawner's reader thread. */
    interface Events {
        void started(long pid);

        void failed(String reason);

        /** @param leftBehind how many processes it left running, which the spawner stops (0 from one that cannot tell) */
        void ended(int waitStatus, int leftBehind);

        /** The spawner was killed before it started the child: it never ran, and is to be started elsewhere. */
        void notStarted();
    }

    /** What a keeper says to a start asked of it once its spawner is gone. */
    private static final String GONE = "the process spawner is gone";

    /** A child being started or running; its pid once the spawner said it. */
    private static final class Child {
        final Events events;
        volatile long pid;

        Child(Events events) {
            this.events = events;
        }
    }

    /**
     * Set once the spawner is gone: nothing more is started through it. Its keeper may still report the ends of the
     * workers it ran (after its {@code D} line), and signals them when asked.
     */
    private volatile boolean lost;
    /** Set when the keeper said that the spawner was killed (its {@code D} line). */
    private volatile boolean killed;
    /** Set when this JVM lets the spawner go: what it never started is not started elsewhere then. */
    private volatile boolean closing;

    /** The spawner process: native or perl, they speak the same protocol. */
    private final Process perl;
    private final BufferedWriter toSpawner;
    private final Map<Long, Child> children = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** Completed once the reader has heard the spawner's last word: it is gone, and {@link #lost} is true. */
    private final CountDownLatch heardTheEnd = new CountDownLatch(1);

    private Spawner(Process perl) {
        this.perl = perl;
        this.toSpawner = new BufferedWriter(new OutputStreamWriter(perl.getOutputStream(), StandardCharsets.US_ASCII));
        Thread reader = new Thread(this::readEvents, "taylorism-spawner-" + perl.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The spawner of {@code process} once it said it is ready, or null (the process killed) when it did not
     * within a few seconds: a binary that cannot run here (built for another machine), a broken perl.
     */
    static Spawner whenReady(Process process, String kind) {
        Spawner spawner = new Spawner(process);
        try {
            spawner.ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return spawner;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.info("The {} process spawner did not start (exit code {})", kind, process.isAlive() ? "none yet" : process.exitValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        return null;
    }

    /**
     * A running spawner, or null: turned off ({@code choice} false, from {@code -Dtaylorism.spawner=false}),
     * or neither a native one nor perl can run here. {@code perl} skips the native one.
     */
    static Spawner start(String choice) {
        if (choice.equals("false")) {
            return null;
        }
        if (!choice.equals("perl")) {
            Spawner nativeOne = startNative(NativeSpawner.binary());
            if (nativeOne == null && NativeSpawner.binary() != null) {
                // A cached binary that does not run here (a home shared with another kind of machine): built again.
                nativeOne = startNative(NativeSpawner.rebuild());
            }
            if (nativeOne != null) {
                return nativeOne;
            }
        }
        return perl();
    }

    private static Spawner startNative(Path binary) {
        if (binary == null) {
            return null;
        }
        try {
            Process process = new ProcessBuilder(binary.toString()).redirectError(Redirect.INHERIT).start();
            log.debug("Started the native process spawner (pid {})", process.pid());
            return whenReady(process, "native");
        } catch (IOException e) {
            log.info("Could not start the native process spawner {} ({})", binary, e.getMessage());
            return null;
        }
    }

    private static Spawner perl() {
        try (InputStream script = Spawner.class.getResourceAsStream("spawner.pl")) {
            if (script == null) {
                return null;
            }
            Path file = Files.createTempFile("taylorism-spawner-", ".pl");
            Files.write(file, script.readAllBytes());
            try {
                Process perl = new ProcessBuilder("perl", file.toString())
                        .redirectError(Redirect.INHERIT)
                        .start();
                log.debug("Started the perl process spawner (pid {})", perl.pid());
                return whenReady(perl, "perl");
            } finally {
                // perl compiles the whole script before it says it is ready: the file is not needed after that,
                // and a JVM that is killed would leave it behind (deleteOnExit runs only at a normal exit). A
                // failed delete must not lose the spawner that is running: it is only a file left behind.
                file.toFile().delete();
            }
        } catch (IOException e) {
            log.info("No perl to spawn workers with ({}); using the JDK's process launch", e.getMessage());
            return null;
        }
    }

    /**
     * Asks for {@code argv} to be started in a session of its own, with stdin from /dev/null, stdout and
     * stderr to files, and returns at once with the child's id in the spawner; {@code events} learns its
     * pid, or why it could not start (no such program, a cwd that does not exist, an output file that
     * cannot be written), and then its raw wait status.
     *
     * @throws IOException when the spawner itself is gone
     */
    long spawn(List<String> argv, Path executable, Path directory, Map<String, String> environment, Path stdout, Path stderr,
               Events events) throws IOException {
        long id = nextId.getAndIncrement();
        Child child = new Child(events);
        children.put(id, child);
        if (lost) {
            notSent(id, child, new IOException("the process spawner is gone"));
            return id;
        }
        StringBuilder line = new StringBuilder("S ").append(id).append(' ')
                .append(directory == null ? "-" : hex(directory.toString())).append(' ')
                .append(executable == null ? "-" : hex(executable.toString())).append(' ')
                .append(hex(stdout.toString())).append(' ').append(hex(stderr.toString())).append(' ')
                .append(environment.size());
        environment.forEach((key, value) -> line.append(' ').append(hex(key + "=" + value)));
        argv.forEach(argument -> line.append(' ').append(hex(argument)));
        try {
            send(line.toString());
        } catch (IOException e) {
            notSent(id, child, e);
        }
        return id;
    }

    /**
     * A start that may not have reached the spawner: the caller's to launch elsewhere ({@code failure} is thrown),
     * unless the reader of a lost spawner took the child first, and starts it elsewhere itself.
     */
    private void notSent(long id, Child child, IOException failure) throws IOException {
        if (children.remove(id, child)) {
            throw failure;
        }
    }

    /**
     * Sends {@code signal} (TERM, KILL, STOP, CONT) to the process group of a child (the spawner handles
     * requests in order, so a signal sent right after the spawn reaches the started child).
     */
    void signal(long id, String signal) {
        if (!children.containsKey(id)) {
            return; // ended already
        }
        // A lost native or perl spawner's keeper answers this too, for the workers it keeps.
        try {
            send("K " + id + " " + signal);
        } catch (IOException e) {
            log.warn("Could not ask the process spawner to send SIG{}: {}", signal, e.getMessage());
        }
    }

    /** Whether this spawner was lost: the launcher starts the next workers with another. */
    boolean lost() {
        return lost;
    }

    /**
     * Whether this spawner was lost, after a request to it failed: a pipe that broke under a write is that of a spawner
     * (or its keeper) gone or going, which its reader may not have heard yet. Waits for that, a bounded time.
     */
    boolean lostAfterAFailedRequest() {
        try {
            if (!lost) {
                heardTheEnd.await(END_HEARD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lost;
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
        try {
            readEventsUntilTheEnd();
        } finally {
            lost = true;
            heardTheEnd.countDown(); // and if the reader failed on its way out, its lost spawner is no one's to wait for
        }
    }

    private void readEventsUntilTheEnd() {
        try (BufferedReader events = new BufferedReader(new InputStreamReader(perl.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line = events.readLine(); line != null; line = events.readLine()) {
                if (line.equals("R")) {
                    ready.complete(null);
                } else {
                    handle(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Lost the process spawner", e);
        }
        boolean wasReady = !ready.completeExceptionally(new IOException("the process spawner ended before it was ready"));
        if (wasReady && !children.isEmpty()) {
            log.warn("The process spawner is gone (exit code {}); its workers are killed and reported as ended",
                    perl.isAlive() ? "none yet" : perl.exitValue());
        }
        endOrphans();
    }

    /**
     * One event: {@code P ID PID} (started), {@code F ID HEX-REASON} (could not start), {@code E ID WAIT-STATUS [LEFT]}
     * (ended, and how many processes it left behind; a spawner that does not say it left none).
     */
    private void handle(String line) {
        if (line.equals("D")) {
            lost = true;
            killed = true;
            log.warn("The process spawner was killed (by a worker?); the {} workers it ran are still watched, and another starts"
                    + " the next ones", children.size());
            askWhatNeverStarted();
            return;
        }
        if (line.equals("Y")) {
            if (!closing) {
                startElsewhereWhatNeverStarted();
            }
            return;
        }
        String[] fields = line.split(" ");
        if (fields.length < 3) {
            return;
        }
        long id = Long.parseLong(fields[1]);
        Child child = children.get(id);
        if (child == null) {
            return;
        }
        try {
            switch (fields[0]) {
                case "P" -> {
                    child.pid = Long.parseLong(fields[2]);
                    child.events.started(child.pid);
                }
                case "F" -> {
                    children.remove(id);
                    String reason = new String(HEX.parseHex(fields[2]), StandardCharsets.UTF_8);
                    if (lost && !closing && reason.equals(GONE)) {
                        child.events.notStarted();
                    } else {
                        child.events.failed(reason);
                    }
                }
                case "E" -> {
                    children.remove(id);
                    child.events.ended(Integer.parseInt(fields[2]), fields.length > 3 ? Integer.parseInt(fields[3]) : 0);
                }
                default -> log.warn("The process spawner said something unexpected: {}", line);
            }
        } catch (RuntimeException e) {
            log.error("Handling what the process spawner said failed: {}", line, e);
        }
    }

    /**
     * The spawner was killed: the starts it had read and not begun died with it, and neither it nor its keeper will
     * say a word of them. The keeper answers "Y" once it has dealt with every line sent before it (refused the starts
     * still in the pipe, said the pids of the children it keeps); what has no pid then never began.
     */
    private void askWhatNeverStarted() {
        try {
            send("Y");
        } catch (IOException e) {
            log.warn("Could not ask the keeper of the lost process spawner which starts it never began: {}", e.getMessage());
        }
    }

    private void startElsewhereWhatNeverStarted() {
        for (Map.Entry<Long, Child> entry : List.copyOf(children.entrySet())) {
            if (entry.getValue().pid == 0 && children.remove(entry.getKey(), entry.getValue())) {
                notStarted(entry.getValue());
            }
        }
    }

    private static void notStarted(Child child) {
        try {
            child.events.notStarted();
        } catch (RuntimeException e) {
            log.error("Starting elsewhere a worker the lost process spawner never began failed", e);
        }
    }

    /**
     * The spawner is gone: nothing more will be reported. Its children are killed here too (it would have, had
     * it left on its own; a signal may have killed it first), then each ends, once.
     */
    private void endOrphans() {
        lost = true;
        heardTheEnd.countDown(); // a start that could not be sent goes elsewhere now, not after these
        for (Long id : List.copyOf(children.keySet())) {
            Child child = children.remove(id);
            if (child == null) {
                continue;
            }
            if (child.pid == 0 && killed && !closing) {
                // The keeper of a killed spawner leaves once it holds no worker, maybe before it answered "Y": a start
                // with no pid then never began, or its process would be the keeper's, which would not have left.
                notStarted(child);
                continue;
            }
            if (child.pid > 0) {
                ProcessHandle.of(child.pid).ifPresent(process -> ProcessTree.kill(process, true));
            }
            try {
                child.events.ended(9, 0);
            } catch (RuntimeException e) {
                log.error("Handling the end of a spawned process failed", e);
            }
        }
    }

    /** The exit code a shell would show for a raw wait status: the code, or 128 + the signal. */
    static int exitCode(int waitStatus) {
        int signal = waitStatus & 0x7f;
        return signal != 0 && signal != 0x7f ? 128 + signal : (waitStatus >> 8) & 0xff;
    }

    private static String hex(String text) {
        return HEX.formatHex(text.getBytes(StandardCharsets.UTF_8));
    }


    /** Lets the spawner go: {@code orderly}, it just exits; otherwise it kills every child still running first. */
    @Override
    public void close() {
        close(children.isEmpty());
    }

    void close(boolean orderly) {
        closing = true;
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
