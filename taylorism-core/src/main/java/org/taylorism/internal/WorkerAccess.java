package org.taylorism.internal;

import java.io.IOException;
import java.util.Map;
import org.taylorism.BossContact;
import org.taylorism.Worker;
import org.taylorism.WorkerType;

/**
 * The one door from taylorism's internal packages into what {@code org.taylorism} keeps to itself: running a
 * worker's task with its ticket (which no application should do), and filling a worker through its footprint.
 * {@code org.taylorism.Worker} opens it when it is initialised, as the JDK's own packages share their secrets:
 * only its own nested class can be installed, once.
 */
public abstract class WorkerAccess {

    private static volatile WorkerAccess installed;

    protected WorkerAccess() {
    }

    /** The access {@code org.taylorism} installed; initialises {@link Worker} first if nothing has yet. */
    public static WorkerAccess get() {
        WorkerAccess access = installed;
        if (access == null) {
            try {
                Class.forName(Worker.class.getName(), true, Worker.class.getClassLoader());
            } catch (ClassNotFoundException impossible) {
                throw new IllegalStateException(impossible);
            }
            access = installed;
        }
        return access;
    }

    /** Installs the access; only {@code org.taylorism.Worker} can, once. */
    public static synchronized void install(WorkerAccess access) {
        if (installed != null || access.getClass().getDeclaringClass() != Worker.class) {
            throw new IllegalStateException("only org.taylorism.Worker installs the worker access, once");
        }
        installed = access;
    }

    /** Gives {@code worker} its ticket and its contact to its Boss (null for none), and runs its task, in this thread. */
    public abstract Object runTask(Worker worker, int ticket, BossContact contact) throws Exception;

    /** A new worker of {@code type} whose attributes are filled from JSON values through its footprint. */
    public abstract Worker fill(WorkerType type, Map<String, Object> values) throws ReflectiveOperationException, IOException;

    /**
     * The value of attribute {@code key} of {@code type} converted from {@code raw}, as matching converts it.
     *
     * @throws IllegalArgumentException naming the key and why the value does not fit
     */
    public abstract Object convert(WorkerType type, String key, Object raw);

    /** The field of each attribute of {@code type}, by key, as {@code DeclaringClass#field}. */
    public abstract Map<String, String> fieldBindings(WorkerType type);
}
