package org.taylorism.internal.launch;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after this JVM when it dies without closing its launcher (SIGKILL, a crash): a small bash process
 * that outlives it. It keeps a set of entries (a pid, a job id, prefixed as its launcher likes), told over its
 * standard input as {@code +ENTRY} and {@code -ENTRY}; when that input ends without a {@code bye} line, this JVM
 * is gone, and the launcher's clean-up runs over every entry still there, in bash's associative array
 * {@code live} (its keys are the entries). It ignores SIGINT, SIGHUP, SIGQUIT and SIGTERM, which reach it
 * together with the Boss when sent to the Boss's process group (the Boss answers them by stopping its workers
 * itself), and uses only shell builtins while the Boss lives: a worker costs it one line.
 */
public final class Watchdog {

    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
    private static final String READ_LOOP = String.join("\n",
            "trap '' INT HUP QUIT TERM",
            "declare -A live",
            "while IFS= read -r line; do",
            "  case \"$line\" in",
            "    +*) live[${line#+}]=1 ;;",
            "    -*) unset \"live[${line#-}]\" ;;",
            "    bye) exit 0 ;;",
            "  esac",
            "done",
            "");

    private final String what;
    private final Process process;
    private final Writer toWatch;
    private boolean closed; // guarded by this

    private Watchdog(String what, Process process) {
        this.what = what;
        this.process = process;
        this.toWatch = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
    }

    /**
     * Starts a watchdog for {@code what} whose clean-up is the bash code {@code cleanUp}, or returns null (with a
     * warning that {@code what} would outlive a killed Boss) where bash cannot run.
     */
    public static Watchdog start(String what, String cleanUp) {
        try {
            Process process = new ProcessBuilder("bash", "-c", READ_LOOP + cleanUp)
                    .redirectOutput(Redirect.DISCARD)
                    .redirectError(Redirect.DISCARD)
                    .start();
            return new Watchdog(what, process);
        } catch (IOException e) {
            log.warn("No watchdog for {} ({}): they would outlive a Boss JVM killed with SIGKILL", what, e.getMessage());
            return null;
        }
    }

    /** Adds {@code entry} (no white space) to what is cleaned up. */
    public void watch(String entry) {
        send("+" + entry);
    }

    /** Removes {@code entry}: it ended, nothing to clean up. */
    public void forget(String entry) {
        send("-" + entry);
    }

    private synchronized void send(String line) {
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
     * Lets the watchdog go: with {@code orderly}, it exits without cleaning up; without, it cleans up as if this
     * JVM were gone.
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
