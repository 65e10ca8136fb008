package org.taylorism.spi;

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

    private static final String SCRIPT = String.join("\n",
            "trap '' INT HUP QUIT TERM",
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

    private final DeathWatch watch;

    private CommandWatchdog(DeathWatch watch) {
        this.watch = watch;
    }

    /** Starts a watchdog, or returns null (with a warning) where bash is not available. */
    static CommandWatchdog start() {
        DeathWatch watch = DeathWatch.start("external programs", SCRIPT);
        return watch == null ? null : new CommandWatchdog(watch);
    }

    void watch(long pid) {
        watch.send("+" + pid);
    }

    void forget(long pid) {
        watch.send("-" + pid);
    }

    /**
     * Lets the watchdog go: with {@code orderly}, it exits without killing anything; without, it kills every
     * worker still on its list, as if the Boss were gone.
     */
    void close(boolean orderly) {
        watch.close(orderly);
    }
}
