package org.taylorism.internal.child;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.taylorism.BossContact;
import org.taylorism.ErrorInfo;
import org.taylorism.Worker;
import org.taylorism.WorkerType;
import org.taylorism.internal.ValueConverter;
import org.taylorism.internal.WorkerAccess;

/**
 * Runs one task in this JVM: a fresh worker JVM runs one, a pooled JVM one after another. Whatever the task
 * does, the caller gets an {@link Outcome}, never an exception.
 */
final class TaskRunner {

    /** Footprints read once per class: a pooled JVM runs many tasks of few classes. */
    private static final Map<String, WorkerType> TYPES = new ConcurrentHashMap<>();

    private TaskRunner() {
    }

    /** What a task ended with: its result, or the error it raised. */
    record Outcome(Object result, ErrorInfo error) {
    }

    /** Runs a task whose worker is filled through its class's footprint (which also reads referenced files). */
    static Outcome run(String workerClass, int ticket, Map<String, Object> values, BossContact contact) {
        try {
            WorkerType type = TYPES.get(workerClass);
            if (type == null) {
                // Not computeIfAbsent(workerClass, TaskRunner::load): no lambda on a fresh worker JVM's start.
                type = load(workerClass);
                TYPES.putIfAbsent(workerClass, type);
            }
            WorkerAccess access = WorkerAccess.get();
            return new Outcome(access.runTask(access.fill(type, values), ticket, contact), null);
        } catch (Throwable error) {
            return new Outcome(null, ErrorInfo.of(error));
        }
    }

    /**
     * Runs a task whose worker is filled through the task file's field bindings: values the Boss already
     * checked and converted, each to the field {@code fields} names for its key. Reading annotations instead
     * would make the JDK generate a proxy class per annotation type, about 15 ms of a fresh JVM's 100.
     */
    static Outcome runBound(String workerClass, int ticket, Map<String, Object> values, Map<String, String> fields,
                            BossContact contact) {
        try {
            return new Outcome(WorkerAccess.get().runTask(bound(workerClass, values, fields), ticket, contact), null);
        } catch (Throwable error) {
            return new Outcome(null, ErrorInfo.of(error));
        }
    }

    private static Worker bound(String workerClass, Map<String, Object> values, Map<String, String> fields)
            throws ReflectiveOperationException {
        Class<? extends Worker> loaded = workerClass(workerClass);
        Worker worker = loaded.getDeclaredConstructor().newInstance();
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            String binding = fields.get(entry.getKey());
            int hash = binding == null ? -1 : binding.lastIndexOf('#');
            if (hash < 0) {
                throw new IllegalArgumentException(entry.getKey() + ": no field of " + workerClass + " is bound to it in the task file");
            }
            Field field;
            try {
                field = Class.forName(binding.substring(0, hash), false, loaded.getClassLoader()).getDeclaredField(binding.substring(hash + 1));
            } catch (ClassNotFoundException | NoSuchFieldException e) {
                throw new IllegalArgumentException(entry.getKey() + ": the task file binds it to " + binding
                        + ", which is not a field on this JVM's class path (a worker class changed since the Boss read it?)", e);
            }
            field.setAccessible(true);
            try {
                field.set(worker, ValueConverter.convert(entry.getValue(), field.getGenericType()));
            } catch (ValueConverter.ConversionException e) {
                throw new IllegalArgumentException(entry.getKey() + ": " + e.getMessage(), e);
            }
        }
        return worker;
    }

    private static WorkerType load(String workerClass) {
        return WorkerType.of(workerClass(workerClass));
    }

    private static Class<? extends Worker> workerClass(String name) {
        Class<?> loaded;
        try {
            loaded = Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no worker class " + name + " on this JVM's class path", e);
        }
        if (!Worker.class.isAssignableFrom(loaded)) {
            throw new IllegalArgumentException(name + " is not a subclass of " + Worker.class.getName());
        }
        return loaded.asSubclass(Worker.class);
    }
}
