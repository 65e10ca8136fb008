package org.taylorism.spi;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills external programs when the Boss JVM dies without running its shutdown hook (SIGKILL, a crash).
 *
 * <p>One small bash process per launcher keeps the set of live program pids, told over its standard input
 * ({@code +pid} at launch, {@code -pid} at the end). When that input reaches end-of-file without a
 * {@code bye} line, the JVM that held it is gone, and the watchdog kills the process tree of every pid still
 * in the set. It ignores the terminal's SIGINT and SIGHUP, which reach it together with the Boss; it only
 * uses shell builtins while the Boss lives, so it costs nothing per worker but a line.
 *
 * <p>Java workers also exit on the end of their standard input, a pipe from the Boss; the watchdog covers
 * them when they cannot (a paused worker), and after them, whatever they started. Stopped (paused)
 * processes die of SIGKILL too.
 */
final class CommandWatchdog {

    private static final Logger log = LoggerFactory.getLogger(CommandWatchdog.class);

    private static final String SCRIPT = String.join("\n",
            "trap '' INT HUP",
            "declare -A live",
            "while IFS= read -r line; do",
            "  case \"$line\" in",
            "    +*) live[${line#+}]=1 ;;",
            "    -*) unset \"live[${line#-}]\" ;;",
            "    bye) exit 0 ;;",
            "  esac",
            "done",
            "tree() { local c; for c in $(ps -o pid= --ppid \"$1\" 2>/dev/null); do tree \"$c\"; done; echo \"$1\"; }",
            "for p in \"${!live[@]}\"; do kill -STOP -- -\"$p\" $(tree \"$p\") 2>/dev/null; done",
            "for p in \"${!live[@]}\"; do kill -KILL -- -\"$p\" $(tree \"$p\") 2>/dev/null; done",
            "");

    private final Process process;
    private final Writer toWatchdog;

    private CommandWatchdog(Process process) {
        this.process = process;
        OutputStream stdin = process.getOutputStream();
        this.toWatchdog = new OutputStreamWriter(stdin, StandardCharsets.US_ASCII);
    }

    /** Starts a watchdog, or returns null (with a warning) where bash is not available. */
    static CommandWatchdog start() {
        try {
            Process process = new ProcessBuilder("bash", "-c", SCRIPT)
                    .redirectOutput(Redirect.DISCARD)
                    .redirectError(Redirect.DISCARD)
                    .start();
            return new CommandWatchdog(process);
        } catch (IOException e) {
            log.warn("No watchdog for external programs ({}): they would outlive a Boss JVM killed with SIGKILL",
                    e.getMessage());
            return null;
        }
    }

    synchronized void watch(long pid) {
        send("+" + pid);
    }

    synchronized void forget(long pid) {
        send("-" + pid);
    }

    /**
     * Lets the watchdog go: with {@code orderly}, it exits without killing anything; without, it kills every
     * worker still on its list, as if the Boss were gone.
     */
    synchronized void close(boolean orderly) {
        if (orderly) {
            send("bye");
        }
        try {
            toWatchdog.close();
        } catch (IOException ignored) {
            // it is gone already
        }
    }


    private void send(String line) {
        try {
            toWatchdog.write(line);
            toWatchdog.write('\n');
            toWatchdog.flush();
        } catch (IOException e) {
            if (process.isAlive()) {
                log.warn("Cannot talk to the program watchdog: {}", e.getMessage());
            }
        }
    }

}
