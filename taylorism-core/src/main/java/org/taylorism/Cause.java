package org.taylorism;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Why a worker did not succeed, in one word: the report's {@code cause}. Each cause says which status it gives
 * a worker, and the exception type of the error the Boss writes for it, so that {@link ErrorInfo#is(Class)}
 * works on that error. Where the error is not the Boss's own (a task's exception, a launcher's that threw at
 * the launch, a cluster's end, which names {@link ClusterEndedException}) it keeps its own type. A cluster may
 * end a worker with a status of its own for a cause (see {@link org.taylorism.spi.ClusterState}).
 */
public enum Cause {
    /** {@code task()} threw. */
    EXCEPTION("exception", WorkerStatus.FAILED, null),
    /** A program exited with a code other than 0. */
    EXIT_CODE("exit_code", WorkerStatus.FAILED, CommandWorker.CommandFailedException.class),
    /** {@code task()} threw an {@link OutOfMemoryError}. */
    OUT_OF_MEMORY_ERROR("out_of_memory_error", WorkerStatus.FAILED, OutOfMemoryError.class),
    /** What {@code task()} returned cannot be written as JSON. */
    RESULT_NOT_SERIALIZABLE("result_not_serializable", WorkerStatus.FAILED, ResultNotSerializableException.class),
    /** The worker's result file or reply could not be read. */
    RESULT_UNREADABLE("result_unreadable", WorkerStatus.FAILED, UnreadableResultException.class),
    /** The launcher could not start the worker. */
    LAUNCH_FAILED("launch_failed", WorkerStatus.FAILED, LaunchFailedException.class),
    /** The scheduler said it can never run. */
    REJECTED("rejected", WorkerStatus.FAILED, UnschedulableException.class),
    /** Another running worker has its name. */
    NAME_IN_USE("name_in_use", WorkerStatus.FAILED, DuplicateWorkerNameException.class),
    /** The process exited without a result, with no signal. */
    NO_RESULT("no_result", WorkerStatus.CRASHED, WorkerCrashedException.class),
    /** A signal nobody in taylorism sent ended the process. */
    SIGNAL("signal", WorkerStatus.CRASHED, WorkerCrashedException.class),
    /** SIGKILL while the kernel's OOM-kill count rose: likely the OOM killer. */
    OOM_KILLER("oom_killer", WorkerStatus.CRASHED, WorkerCrashedException.class),
    /** The worker JVM crashed and wrote an hs_err file. */
    JVM_CRASH("jvm_crash", WorkerStatus.CRASHED, WorkerCrashedException.class),
    /** The Boss stopped it: STOP_RIGHTNOW, a halt, {@code close()}. */
    STOPPED("stopped", WorkerStatus.KILLED, WorkerKilledException.class),
    /** Cancelled by name. */
    CANCELLED("cancelled", WorkerStatus.CANCELLED, WorkerCancelledException.class),
    /**
     * What it takes from the sets it waited for ({@link ResultReference}) could not be filled in, or does not fit its
     * attribute.
     */
    BAD_UPSTREAM_VALUE("bad_upstream_value", WorkerStatus.FAILED, InstructionsException.class),
    /** What it waits for ({@code after}) can never hold: a set it needed to succeed did not. */
    DEPENDENCY_NEVER_SATISFIED("dependency_never_satisfied", WorkerStatus.CANCELLED, WorkerCancelledException.class),
    /** It ran longer than its {@code timeout}. */
    TIMEOUT("timeout", WorkerStatus.TIMED_OUT, WorkerTimedOutException.class),
    /** It wrote nothing for its {@code stall_timeout}. */
    STALL("stall", WorkerStatus.TIMED_OUT, WorkerTimedOutException.class),
    /** Its process tree used more than its declared {@code memory} times the tolerance. */
    MEMORY_LIMIT("memory_limit", WorkerStatus.MEMORY_EXCEEDED, MemoryExceededException.class),
    /** A cluster ended it past its deadline. */
    DEADLINE("deadline", WorkerStatus.TIMED_OUT, ClusterEndedException.class),
    /** The cluster node it ran on failed. */
    NODE_FAIL("node_fail", WorkerStatus.CRASHED, ClusterEndedException.class),
    /** Its cluster node failed to boot. */
    BOOT_FAIL("boot_fail", WorkerStatus.CRASHED, ClusterEndedException.class),
    /** The cluster preempted it for another job. */
    PREEMPTED("preempted", WorkerStatus.KILLED, ClusterEndedException.class),
    /** Someone outside taylorism cancelled its cluster job. */
    CLUSTER_CANCELLED("cluster_cancelled", WorkerStatus.KILLED, ClusterEndedException.class),
    /** Its cluster job vanished without a final state. */
    LOST("lost", WorkerStatus.CRASHED, ClusterEndedException.class);

    private static final Map<String, Cause> BY_JSON_NAME = new HashMap<>();
    /** What a worker's failed outcome may say by the type of its error; any other type is its task's exception. */
    private static final Map<String, Cause> FAILURES_BY_ERROR_TYPE = new HashMap<>();

    static {
        for (Cause cause : values()) {
            BY_JSON_NAME.put(cause.jsonName, cause);
        }
        for (Cause cause : EnumSet.of(EXIT_CODE, OUT_OF_MEMORY_ERROR, RESULT_NOT_SERIALIZABLE, RESULT_UNREADABLE, LAUNCH_FAILED)) {
            FAILURES_BY_ERROR_TYPE.put(cause.errorType.getName(), cause);
        }
    }

    private final String jsonName;
    private final WorkerStatus status;
    private final Class<? extends Throwable> errorType;

    Cause(String jsonName, WorkerStatus status, Class<? extends Throwable> errorType) {
        this.jsonName = jsonName;
        this.status = status;
        this.errorType = errorType;
    }

    /** The word the report shows. */
    @JsonValue
    public String jsonName() {
        return jsonName;
    }

    /** The status a worker ended for this cause gets (a cluster may say otherwise: {@code ClusterState}). */
    public WorkerStatus status() {
        return status;
    }

    /** The exception type of the error the Boss writes for this cause; null where the worker's own error stands. */
    public Class<? extends Throwable> errorType() {
        return errorType;
    }

    /** The error the Boss writes for this cause: its exception type and {@code message}. */
    public ErrorInfo error(String message) {
        return ErrorInfo.of(errorType == null ? TaylorismException.class.getName() : errorType.getName(), message);
    }

    /** Whether a retry of a worker that ended so gets more memory: it was stopped for memory, or OOM-killed. */
    public boolean lackedMemory() {
        return this == MEMORY_LIMIT || this == OOM_KILLER;
    }

    /** Whether a retry of a worker that ended so gets a longer timeout. */
    public boolean lackedTime() {
        return this == TIMEOUT;
    }

    /**
     * The cause of a worker that failed with {@code error}: {@code exit_code}, {@code out_of_memory_error},
     * {@code result_not_serializable}, {@code result_unreadable} or {@code launch_failed} when its type says so,
     * else {@code exception}: whatever else a task throws is its own (one that throws an
     * {@link UnschedulableException} was not rejected).
     */
    public static Cause ofFailure(ErrorInfo error) {
        return error == null || error.type() == null ? EXCEPTION : FAILURES_BY_ERROR_TYPE.getOrDefault(error.type(), EXCEPTION);
    }

    /** The cause a report names with {@code jsonName}. */
    @JsonCreator
    public static Cause fromJson(String jsonName) {
        Cause cause = BY_JSON_NAME.get(jsonName);
        if (cause == null) {
            throw new IllegalArgumentException("'" + jsonName + "' is not a cause; known: " + BY_JSON_NAME.keySet());
        }
        return cause;
    }

    @Override
    public String toString() {
        return jsonName;
    }
}
