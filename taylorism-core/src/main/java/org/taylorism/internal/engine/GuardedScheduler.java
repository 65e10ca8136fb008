package org.taylorism.internal.engine;

import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.Scheduler;
import org.taylorism.Task;

/**
 * The user's scheduler, as the engine calls it: what it says in passing (why a set waits, the keys it reads, its
 * memory budget) costs nothing more than a log line when it throws. Only {@link #schedule} lets its failure
 * through, for the engine to abort the run with the scheduler's name.
 */
final class GuardedScheduler {

    private static final Logger log = LoggerFactory.getLogger(GuardedScheduler.class);

    // Replaced on the Boss thread, read by callers' threads too (the keys it reads, when a batch comes in).
    private volatile Scheduler scheduler;
    private volatile String name;

    GuardedScheduler(Scheduler scheduler) {
        replace(scheduler);
    }

    /** Decides with {@code next} from now on (a live reconfiguration). */
    void replace(Scheduler next) {
        this.name = nameOf("Scheduler", next, next::name);
        this.scheduler = next;
    }

    /** What {@code name} gives, or the plug-in's class name when it throws. */
    static String nameOf(String kind, Object plugin, Supplier<String> name) {
        try {
            return name.get();
        } catch (RuntimeException e) {
            log.warn("{} {} failed to say its name", kind, plugin.getClass().getName(), e);
            return plugin.getClass().getName();
        }
    }

    String name() {
        return name;
    }

    /** Lets the scheduler decide; whatever it throws goes to the caller. */
    void schedule(Scheduler.Round round) {
        scheduler.schedule(round);
    }

    /** Why {@code task} waits, or null when the scheduler does not say, or fails to. */
    String whyWaiting(Task task, Scheduler.Round view) {
        try {
            return scheduler.whyWaiting(task, view);
        } catch (RuntimeException e) {
            log.warn("Scheduler {} failed to say why {} waits", name, task.name(), e);
            return null;
        }
    }

    /** Whether it decides by counts alone (see {@link Scheduler#countsOnly}); false when it fails to say. */
    boolean countsOnly() {
        try {
            return scheduler.countsOnly();
        } catch (RuntimeException e) {
            log.warn("Scheduler {} failed to say whether it decides by counts alone", name, e);
            return false;
        }
    }

    /** The instruction keys it reads; none when it fails to say. */
    Set<String> keysRead() {
        try {
            Set<String> keys = scheduler.keysRead();
            return keys == null ? Set.of() : keys;
        } catch (RuntimeException e) {
            log.warn("Scheduler {} failed to say which keys it reads", name, e);
            return Set.of();
        }
    }

    /** The most memory it can ever grant one worker, or null when it does not count memory or fails to say. */
    Long maxMemoryMb() {
        try {
            return scheduler.maxMemoryMb();
        } catch (RuntimeException e) {
            log.warn("Scheduler {} failed to say its memory budget", name, e);
            return null;
        }
    }
}
