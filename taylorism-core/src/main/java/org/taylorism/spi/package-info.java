/**
 * Contracts for plug-ins, and nothing else: a launcher ({@link org.taylorism.spi.WorkerLauncher}, which gets a
 * {@link org.taylorism.spi.LaunchSpec} and a {@link org.taylorism.spi.JvmCommand} for each worker, returns a
 * {@link org.taylorism.spi.LaunchedWorker} and reports a {@link org.taylorism.spi.WorkerOutcome}, or a
 * {@link org.taylorism.spi.ClusterState} for what a cluster did), and the providers that make launchers and
 * schedulers from text options by name, found by {@link java.util.ServiceLoader}
 * ({@link org.taylorism.spi.LauncherProvider}, {@link org.taylorism.spi.SchedulerProvider}). The built-in
 * launchers live in {@code org.taylorism.internal.launch}; {@link org.taylorism.spi.WorkerLauncher#localProcesses()}
 * and {@link org.taylorism.spi.WorkerLauncher#warmPool(int, int)} make them.
 */
package org.taylorism.spi;
