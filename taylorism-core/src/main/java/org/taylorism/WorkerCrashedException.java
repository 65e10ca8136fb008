package org.taylorism;

/** The type of the error of a worker whose process ended without a result: causes {@code no_result}, {@code signal}, {@code oom_killer}, {@code jvm_crash}. */
public final class WorkerCrashedException extends TaylorismException {

    public WorkerCrashedException(String message) {
        super(message);
    }
}
