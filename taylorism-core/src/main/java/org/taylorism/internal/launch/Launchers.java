package org.taylorism.internal.launch;

import org.taylorism.spi.WorkerLauncher;

/** The built-in launchers, as {@link WorkerLauncher#localProcesses()} and {@link WorkerLauncher#warmPool} make them. */
public final class Launchers {

    private Launchers() {
    }

    /** Every worker a fresh process of this machine. */
    public static WorkerLauncher localProcesses() {
        return new LocalProcessLauncher();
    }

    /** Java workers in long-lived JVMs; see {@link WorkerLauncher#warmPool}. */
    public static WorkerLauncher warmPool(int idleJvms, int maxTasksPerJvm) {
        return new PoolLauncher(idleJvms, maxTasksPerJvm);
    }
}
