package org.taylorism;

import java.io.IOException;
import java.util.Map;
import org.taylorism.internal.WorkerAccess;

/**
 * Base class of every worker: a unit of work described entirely by its instruction set.
 *
 * <p>A subclass declares its footprint with {@link Attribute} fields (and optionally {@link Footprint} on the
 * class), implements {@link #task()}, has a public no-argument constructor and is registered, either
 * explicitly ({@link WorkerRegistry.Builder#register(Class)}) or in
 * {@code META-INF/services/org.taylorism.Worker} for discovery. The Boss never instantiates it: the class
 * is instantiated, filled and run in the worker's own process.
 *
 * <pre>{@code
 * public class Sleeper extends Worker {
 *     @Attribute double sleepingTime;
 *     @Attribute(defaultValue = "Hello !") String wakeupSentence;
 *
 *     protected Object task() throws InterruptedException {
 *         Thread.sleep((long) (sleepingTime * 1000));
 *         return wakeupSentence;
 *     }
 * }
 * }</pre>
 *
 * <p>Every worker also has these optional attributes: {@code name} (generated when absent, unique among
 * running workers), {@code memory} (MiB the worker expects to need), {@code expected_time} (seconds it
 * expects to take), {@code resources} (named resources it holds while it runs, for schedulers that count
 * them), {@code not_before} (its earliest start), {@code after} (the sets it waits for), {@code timeout} and {@code stall_timeout} (seconds). The scheduler's {@linkplain #ticket() ticket} is given
 * at launch.
 */
public abstract class Worker {

    static {
        WorkerAccess.install(new Access());
    }

    @Attribute(optional = true, info = "Name of the worker; generated when absent, unique among running workers.")
    private String name;

    @Attribute(optional = true, info = "Memory the worker expects to need, in MiB.")
    private Integer memory;

    @Attribute(optional = true, info = "Time the worker expects to take, in seconds.")
    private Double expectedTime;

    @Attribute(optional = true, info = "Named resources held from launch to end, e.g. {\"licence\": 1}.")
    private Map<String, Integer> resources;

    @Attribute(optional = true, info = "Earliest start: seconds after submission, or an ISO time (12:00:05, 2026-11-23T12:00:05Z).")
    private String notBefore;

    @Attribute(optional = true, info = "Sets it waits for: [\"prepare\", \"sim-*\"] (each succeeded), or {\"succeeded\"|\"failed\"|"
            + "\"ended\": [...], \"any_of\": [...], \"delay\": SECONDS}.")
    private Object after;

    @Attribute(optional = true, info = "Seconds the worker may run before it is stopped and reported timed_out.")
    private Double timeout;

    @Attribute(optional = true, info = "Seconds the worker may go without writing to stdout or stderr before it is stopped as stalled.")
    private Double stallTimeout;

    private int ticket = -1;
    private BossContact bossContact;

    /**
     * Does the work. Runs in the worker's own process, after every attribute field has been filled.
     *
     * @return a value Jackson can write as JSON (null, a string, a number, a boolean, a list, a map, a record
     *     or a bean); it becomes the {@code result} of this worker in the report
     * @throws Exception reported with its type name, message and stack trace
     */
    protected abstract Object task() throws Exception;

    /** The worker's name, unique among the running workers of its Boss. */
    public final String name() {
        return name;
    }

    /** Memory declared by the instruction set, in MiB, or null. */
    public final Integer memory() {
        return memory;
    }

    /** Expected duration declared by the instruction set, in seconds, or null. */
    public final Double expectedTime() {
        return expectedTime;
    }

    /** Slot number given by the scheduler at launch (0 for the first free slot). */
    public final int ticket() {
        return ticket;
    }

    /**
     * How this worker reaches the Boss that runs it, to submit sub-tasks and wait for them; empty when its Boss
     * offers none (only a Boss served by {@code taylorism serve} does, to Java workers). Pass the worker itself
     * to {@code org.taylorism.client.SubTasks.of} rather than reading this.
     */
    public final java.util.Optional<BossContact> bossContact() {
        return java.util.Optional.ofNullable(bossContact);
    }

    /** What taylorism's worker processes need of a worker and its footprint; see {@link WorkerAccess}. */
    private static final class Access extends WorkerAccess {
        @Override
        public Object runTask(Worker worker, int ticket, BossContact contact) throws Exception {
            worker.ticket = ticket;
            worker.bossContact = contact;
            return worker.task();
        }

        @Override
        public Worker fill(WorkerType type, Map<String, Object> values) throws ReflectiveOperationException, IOException {
            return type.instantiate(values);
        }

        @Override
        public Object convert(WorkerType type, String key, Object raw) {
            return type.convert(key, raw);
        }

        @Override
        public Map<String, String> fieldBindings(WorkerType type) {
            return type.fieldBindings();
        }
    }
}
