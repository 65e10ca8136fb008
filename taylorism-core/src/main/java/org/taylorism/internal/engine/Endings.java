package org.taylorism.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.taylorism.AttemptReport;
import org.taylorism.Cause;
import org.taylorism.ClusterEndedException;
import org.taylorism.ErrorInfo;
import org.taylorism.Task;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.internal.Json;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.PriorSet;
import org.taylorism.spi.WorkerOutcome;

/**
 * What a worker's end means, and the one place that writes it down as a {@link WorkerReport}. The launcher says
 * how the worker ended ({@link WorkerOutcome}); {@link #classify} decides its status and cause; {@link #report}
 * and {@link #earlierAttempt} write the entry.
 */
final class Endings {

    /**
     * What the Boss concludes of one attempt.
     *
     * @param cause why it did not succeed; null when it did
     * @param crashLog the hs_err file of a JVM that crashed
     */
    record Ending(WorkerStatus status, Cause cause, Object result, ErrorInfo error, Integer exitCode, String signal,
                  String crashLog) {

        /** An attempt the Boss ended without launching it: rejected, cancelled, its name in use, its launch failed. */
        static Ending notLaunched(Cause cause, ErrorInfo error) {
            return new Ending(cause.status(), cause, null, error, null, null, null);
        }
    }

    private Endings() {
    }

    /** What {@code outcome} means for {@code attempt}: a stop by the Boss decides, unless a Java task returned first. */
    static Ending classify(Attempt attempt, WorkerOutcome outcome) {
        boolean javaTaskReturned = outcome instanceof WorkerOutcome.Returned && attempt.spec.kind() == LaunchSpec.Kind.JAVA;
        if (attempt.stopCause != null && !javaTaskReturned) {
            // Stopped by us: why we stopped it decides, whatever the process made of the signal (exit 0 or 1).
            String signal = outcome instanceof WorkerOutcome.Died died ? died.signal() : null;
            return new Ending(attempt.stopCause.status(), attempt.stopCause, null, attempt.stopCause.error(attempt.stopReason),
                    outcome.exitCode(), signal, null);
        }
        if (outcome instanceof WorkerOutcome.Returned returned) {
            return new Ending(WorkerStatus.SUCCEEDED, null, returned.result(), null, outcome.exitCode(), null, null);
        }
        if (outcome instanceof WorkerOutcome.Raised raised) {
            Cause cause = Cause.ofFailure(raised.error());
            return new Ending(cause.status(), cause, null, raised.error(), outcome.exitCode(), null, null);
        }
        if (outcome instanceof WorkerOutcome.ClusterEnded ended) {
            String detail = ended.detail() == null || ended.detail().isBlank() ? "" : ": " + ended.detail().strip();
            return new Ending(ended.state().status(), ended.state().cause(), null,
                    ErrorInfo.of(ClusterEndedException.class.getName(), "the worker " + ended.state().description() + detail),
                    outcome.exitCode(), null, null);
        }
        if (outcome instanceof WorkerOutcome.Died died) {
            return crash(attempt, died);
        }
        throw new IllegalArgumentException("an outcome of an unknown kind: " + outcome);
    }

    /** A process that ended without a result: a JVM crash, likely the OOM killer, a signal, or just an exit. */
    private static Ending crash(Attempt attempt, WorkerOutcome.Died died) {
        Cause cause;
        String crashLog = null;
        Path crashLogFile = attempt.crashLog();
        if (crashLogFile != null && Files.exists(crashLogFile)) {
            cause = Cause.JVM_CRASH;
            crashLog = crashLogFile.toString();
        } else if ("KILL".equals(died.signal()) && KernelCounters.oomKills() > attempt.oomKillsAtStart) {
            cause = Cause.OOM_KILLER;
        } else {
            cause = died.signal() != null ? Cause.SIGNAL : Cause.NO_RESULT;
        }
        return new Ending(cause.status(), cause, null, cause.error(describeDeath(died, cause)), died.exitCode(), died.signal(),
                crashLog);
    }

    private static String describeDeath(WorkerOutcome.Died died, Cause cause) {
        String how = died.signal() != null ? "was killed by signal " + died.signal() + " (exit code " + died.exitCode() + ")"
                : "exited with code " + died.exitCode();
        String why = switch (cause) {
            case JVM_CRASH -> "; the JVM crashed (see its hs_err file)";
            case OOM_KILLER -> "; likely by the kernel's OOM killer (its oom_kill count rose meanwhile)";
            default -> "";
        };
        String tail = died.stderrTail() == null ? "" : died.stderrTail().strip();
        if (tail.isEmpty()) {
            return "the worker process " + how + " without a result" + why + "; its standard error is empty";
        }
        String lastLine = tail.substring(tail.lastIndexOf('\n') + 1);
        return "the worker process " + how + " without a result" + why + "; its standard error ends with '" + lastLine + "'\n" + tail;
    }

    /**
     * The report of {@code task}'s attempt that ended so at {@code endedAt}.
     *
     * @param attempt the attempt as it ran; null for a task that ended without being launched
     * @param ticket its ticket, or -1 for none
     * @param peakKb the peak resident memory of its process tree, or null when unknown
     * @param earlier its earlier attempts, or null when this was its first
     */
    static WorkerReport report(Task task, Attempt attempt, int ticket, Ending ending, Instant endedAt, Long peakKb,
                               List<AttemptReport> earlier) {
        Instant startedAt = attempt == null ? endedAt : attempt.view.startedAt();
        List<Integer> cpus = attempt == null || attempt.view.cpus().isEmpty() ? null : attempt.view.cpus();
        return new WorkerReport(task.name(), task.type().name(), ending.status(),
                ending.cause() == null ? null : ending.cause().jsonName(), task.instructions(), ending.result(),
                ending.error(), ending.exitCode(), ending.signal(), ticket < 0 ? null : ticket, cpus,
                attempt == null ? null : attempt.handle.node(), startedAt, endedAt, Duration.between(startedAt, endedAt).toMillis(),
                attempt == null ? null : attempt.spec.stdout().toString(), attempt == null ? null : attempt.spec.stderr().toString(),
                peakKb == null ? null : (peakKb + 1023) / 1024, ending.crashLog(), task.attempt(), earlier, null,
                attempt == null || attempt.handle.leftBehind() == 0 ? null : attempt.handle.leftBehind());
    }

    /**
     * The report of an attempt of an earlier run whose end its Boss never recorded (it died first), from the
     * result file its worker JVM left: the run that resumes that run adopts it instead of running the set again.
     *
     * @param set the earlier run's set
     * @param startedAt when the attempt started, if its start was recorded; else when its result was written
     */
    static WorkerReport adopted(PriorSet set, int attempt, Path stdout, Path stderr, WorkerOutcome outcome, Instant startedAt,
                                Instant endedAt) {
        Ending ending;
        if (outcome instanceof WorkerOutcome.Returned returned) {
            ending = new Ending(WorkerStatus.SUCCEEDED, null, returned.result(), null, null, null, null);
        } else {
            ErrorInfo error = outcome instanceof WorkerOutcome.Raised raised ? raised.error()
                    : Cause.RESULT_UNREADABLE.error("the result file of an earlier attempt says nothing this taylorism reads");
            Cause cause = Cause.ofFailure(error);
            ending = new Ending(cause.status(), cause, null, error, null, null, null);
        }
        Instant started = startedAt == null || startedAt.isAfter(endedAt) ? endedAt : startedAt;
        return new WorkerReport(set.name(), set.worker(), ending.status(), ending.cause() == null ? null : ending.cause().jsonName(),
                set.instructions(), ending.result(), ending.error(), null, null, null, null, null, started, endedAt,
                Duration.between(started, endedAt).toMillis(), stdout.toString(), stderr.toString(), null, null, attempt, null);
    }

    /** What a retried task's report keeps of the attempt that failed, described by {@code failed}. */
    static AttemptReport earlierAttempt(Attempt attempt, WorkerReport failed) {
        return new AttemptReport(failed.attempt(), failed.status(), failed.cause(), failed.error() == null ? null : failed.error().oneLine(),
                failed.exitCode(), attempt.task().memoryMb(), attempt.timeout == null ? null : attempt.timeout.toMillis() / 1000.0,
                failed.peakRssMb(), failed.startedAt(), failed.durationMs(), failed.stdout(), failed.stderr());
    }

    /** A line for the log of a verbose Boss: the report's error, or its result as JSON, cut at {@code maxLength}. */
    static String summary(WorkerReport report, int maxLength) {
        String text;
        if (report.error() != null) {
            text = report.error().oneLine();
        } else {
            try {
                text = Json.MAPPER.writeValueAsString(report.result());
            } catch (IOException e) {
                text = String.valueOf(report.result());
            }
        }
        return text.length() <= maxLength ? text : text.substring(0, maxLength) + "...";
    }
}
