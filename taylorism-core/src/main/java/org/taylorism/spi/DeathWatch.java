package org.taylorism.spi;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small bash process that outlives this JVM to clean up after it: it reads lines from its standard input
 * (what to clean up, as the launcher starts and ends work), and when that input ends without a {@code bye}
 * line, this JVM is gone (SIGKILL, a crash) and the script's clean-up part runs. The script decides what the
 * lines mean; it should ignore SIGINT, SIGHUP, SIGQUIT and SIGTERM, which reach it together with the Boss
 * when they are sent to the Boss's process group, and which the Boss answers by stopping its workers itself.
 */
public final class DeathWatch {

    private static final Logger log = LoggerFactory.getLogger(DeathWatch.class);

    private final String what;
    private final Process process;
    private final Writer toWatch;

    private DeathWatch(String what, Process process) {
        this.what = what;
        this.process = process;
        this.toWatch = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
    }

    /**
     * Starts {@code script} under bash, or returns null (with a warning naming {@code what} would outlive the
     * Boss) where bash cannot run.
     */
    public static DeathWatch start(String what, String script) {
        try {
            Process process = new ProcessBuilder("bash", "-c", script)
                    .redirectOutput(Redirect.DISCARD)
                    .redirectError(Redirect.DISCARD)
                    .start();
            return new DeathWatch(what, process);
        } catch (IOException e) {
            log.warn("No watchdog for {} ({}): they would outlive a Boss JVM killed with SIGKILL", what, e.getMessage());
            return null;
        }
    }

    private boolean closed; // guarded by this

    /** Tells the watch one line. */
    public synchronized void send(String line) {
        if (closed) {
            return; // let go already: a process that ends during the close needs no forgetting
        }
        try {
            toWatch.write(line);
            toWatch.write('\n');
            toWatch.flush();
        } catch (IOException e) {
            if (process.isAlive()) {
                log.warn("Cannot talk to the watchdog for {}: {}", what, e.getMessage());
            }
        }
    }

    /**
     * Lets the watch go: with {@code orderly}, it exits without cleaning up; without, it cleans up as if
     * this JVM were gone.
     */
    public synchronized void close(boolean orderly) {
        if (closed) {
            return;
        }
        if (orderly) {
            send("bye");
        }
        closed = true;
        try {
            toWatch.close();
        } catch (IOException ignored) {
            // it is gone already
        }
    }
}
