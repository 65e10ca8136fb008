/**
 * Workers run through Slurm ({@link org.taylorism.slurm.SlurmLauncher}, or {@code --launcher slurm} through
 * {@link org.taylorism.slurm.SlurmLauncherProvider}): as job steps of the allocation the Boss runs in
 * ({@code StepLauncher}, placed by {@code StepPlacement}), or as batch jobs from a login node
 * ({@code JobLauncher}, followed with {@code squeue}). They reuse the core's {@code Escalation} (stops off the Boss
 * thread), {@code Watchdog} (clean-up after a killed Boss: {@code SlurmWatchdog}) and {@code Outcomes}.
 */
package org.taylorism.slurm;
