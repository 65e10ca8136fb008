package org.taylorism.slurm;

import org.taylorism.internal.launch.Watchdog;

/**
 * Cancels this Boss's Slurm work when the Boss JVM dies without closing its launcher (SIGKILL, a crash): a
 * {@link Watchdog} keeps the live srun pids ({@code pPID}) and job ids ({@code jID}), and when the Boss is gone
 * it ends those srun processes (Slurm then ends their steps) and scancels those jobs.
 */
final class SlurmWatchdog {

    private static final String CANCEL_SRUNS_AND_JOBS = String.join("\n",
            "sruns=(); jobs=()",
            "for entry in \"${!live[@]}\"; do",
            "  case \"$entry\" in p*) sruns+=(\"${entry#p}\") ;; j*) jobs+=(\"${entry#j}\") ;; esac",
            "done",
            // SIGTERM lets srun cancel its step, even one still being created (SIGKILL would leave that step
            // holding its CPUs); whatever srun is still there after 5 s is killed.
            "if [ ${#sruns[@]} -gt 0 ]; then",
            "  kill -TERM \"${sruns[@]}\" 2>/dev/null",
            "  for i in $(seq 50); do kill -0 \"${sruns[@]}\" 2>/dev/null || break; sleep 0.1; done",
            "  kill -KILL \"${sruns[@]}\" 2>/dev/null",
            "fi",
            "[ ${#jobs[@]} -gt 0 ] && scancel \"${jobs[@]}\" 2>/dev/null",
            "exit 0",
            "");

    private final Watchdog watch;

    private SlurmWatchdog(Watchdog watch) {
        this.watch = watch;
    }

    /** Starts a watchdog, or returns null (with a warning) where bash cannot run. */
    static SlurmWatchdog start() {
        Watchdog watch = Watchdog.start("Slurm steps and jobs", CANCEL_SRUNS_AND_JOBS);
        return watch == null ? null : new SlurmWatchdog(watch);
    }

    void watchSrun(long pid) {
        watch.watch("p" + pid);
    }

    void forgetSrun(long pid) {
        watch.forget("p" + pid);
    }

    void watchJob(String jobId) {
        watch.watch("j" + jobId);
    }

    void forgetJob(String jobId) {
        watch.forget("j" + jobId);
    }

    /** Lets the watchdog go without it cancelling anything. */
    void close() {
        watch.close(true);
    }
}
