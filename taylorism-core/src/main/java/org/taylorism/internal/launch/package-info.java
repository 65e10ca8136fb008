/**
 * Not API (see {@code org.taylorism.internal}): the built-in launchers and what launchers share.
 *
 * <ul>
 *   <li>{@link org.taylorism.internal.launch.LocalProcessLauncher}: every worker a fresh process, started by a
 *       resident {@link org.taylorism.internal.launch.Spawner} (native, built by
 *       {@link org.taylorism.internal.launch.NativeSpawner}, or perl), else by the JDK;</li>
 *   <li>{@link org.taylorism.internal.launch.PoolLauncher}: Java workers in long-lived JVMs;</li>
 *   <li>{@link org.taylorism.internal.launch.ProcessTree}: stopping a process with everything it started;</li>
 *   <li>for every launcher, the Slurm ones included: {@link org.taylorism.internal.launch.Escalation} (the
 *       second phase of a stop, off the Boss's thread), {@link org.taylorism.internal.launch.Watchdog} (clean-up
 *       after a Boss JVM killed without warning) and {@link org.taylorism.internal.launch.Outcomes} (a worker's
 *       end, from its exit code, result file and standard error).</li>
 * </ul>
 * Users reach the built-in launchers through {@link org.taylorism.spi.WorkerLauncher#localProcesses()} and
 * {@link org.taylorism.spi.WorkerLauncher#warmPool(int, int)}.
 */
package org.taylorism.internal.launch;
