package org.taylorism.slurm;

import org.taylorism.spi.DeathWatch;

/**
 * Cancels this Boss's Slurm work when the Boss JVM dies without closing its launcher (SIGKILL, a crash): a
 * small bash process keeps the live srun pids and job ids, told over its standard input, and on end-of-file
 * without a {@code bye} line it ends those srun processes (Slurm then ends their steps) and scancels those
 * jobs. It ignores the terminal's SIGINT and SIGHUP, which reach it together with the Boss.
 */
final class SlurmWatchdog {

    private static final String SCRIPT = String.join("\n",
            "trap '' INT HUP QUIT TERM",
            "declare -A sruns jobs",
            "while IFS= read -r line; do",
            "  case \"$line\" in",
            "    +p*) sruns[${line#+p}]=1 ;;",
            "    -p*) unset \"sruns[${line#-p}]\" ;;",
            "    +j*) jobs[${line#+j}]=1 ;;",
            "    -j*) unset \"jobs[${line#-j}]\" ;;",
            "    bye) exit 0 ;;",
            "  esac",
            "done",
            // SIGTERM lets srun cancel its step, even one still being created (SIGKILL would leave that step
            // holding its CPUs); whatever srun is still there after 5 s is killed.
            "if [ ${#sruns[@]} -gt 0 ]; then",
            "  kill -TERM \"${!sruns[@]}\" 2>/dev/null",
            "  for i in $(seq 50); do kill -0 \"${!sruns[@]}\" 2>/dev/null || break; sleep 0.1; done",
            "  kill -KILL \"${!sruns[@]}\" 2>/dev/null",
            "fi",
            "[ ${#jobs[@]} -gt 0 ] && scancel \"${!jobs[@]}\" 2>/dev/null",
            "exit 0",
            "");

    private final DeathWatch watch;

    private SlurmWatchdog(DeathWatch watch) {
        this.watch = watch;
    }

    /** Starts a watchdog, or returns null (with a warning) where bash cannot run. */
    static SlurmWatchdog start() {
        DeathWatch watch = DeathWatch.start("Slurm steps and jobs", SCRIPT);
        return watch == null ? null : new SlurmWatchdog(watch);
    }

    void watchSrun(long pid) {
        watch.send("+p" + pid);
    }

    void forgetSrun(long pid) {
        watch.send("-p" + pid);
    }

    void watchJob(String jobId) {
        watch.send("+j" + jobId);
    }

    void forgetJob(String jobId) {
        watch.send("-j" + jobId);
    }

    /** Lets the watchdog go without it cancelling anything. */
    void close() {
        watch.close(true);
    }
}
