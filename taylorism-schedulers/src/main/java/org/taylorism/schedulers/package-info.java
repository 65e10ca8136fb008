/**
 * The built-in schedulers ({@link org.taylorism.schedulers.Schedulers}): the original's laxist, max-threads,
 * max-memory, longer-first and single-open-file, the rules that wrap any scheduler (named resources, CPU
 * binding, a guard against starvation), and the {@link org.taylorism.spi.SchedulerProvider}s that make them by
 * name on the command line. Each is a {@link org.taylorism.Scheduler}: it sees a round, and launches or rejects
 * through it; none keeps a thread or a lock.
 */
package org.taylorism.schedulers;
