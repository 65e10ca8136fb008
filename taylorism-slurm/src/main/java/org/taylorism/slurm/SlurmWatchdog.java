package org.taylorism.slurm;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels this Boss's Slurm work when the Boss JVM dies without closing its launcher (SIGKILL, a crash): a
 * small bash process keeps the live srun pids and job ids, told over its standard input, and on end-of-file
 * without a {@code bye} line it ends those srun processes (Slurm then ends their steps) and scancels those
 * jobs. It ignores the terminal's SIGINT and SIGHUP, which reach it together with the Boss.
 */
final class SlurmWatchdog {

    private static final Logger log = LoggerFactory.getLogger(SlurmWatchdog.class);

    private static final String SCRIPT = String.join("\n",
            "trap '' INT HUP",
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

    private final Process process;
    private final Writer toWatchdog;

    private SlurmWatchdog(Process process) {
        this.process = process;
        this.toWatchdog = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
    }

    /** Starts a watchdog, or returns null (with a warning) where bash cannot run. */
    static SlurmWatchdog start() {
        try {
            return new SlurmWatchdog(new ProcessBuilder("bash", "-c", SCRIPT)
                    .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD).start());
        } catch (IOException e) {
            log.warn("No watchdog for Slurm work ({}): steps and jobs would outlive a Boss JVM killed with SIGKILL", e.getMessage());
            return null;
        }
    }

    synchronized void watchSrun(long pid) {
        send("+p" + pid);
    }

    synchronized void forgetSrun(long pid) {
        send("-p" + pid);
    }

    synchronized void watchJob(String jobId) {
        send("+j" + jobId);
    }

    synchronized void forgetJob(String jobId) {
        send("-j" + jobId);
    }

    /** Lets the watchdog go without it cancelling anything. */
    synchronized void close() {
        send("bye");
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
                log.warn("Cannot talk to the Slurm watchdog: {}", e.getMessage());
            }
        }
    }
}
