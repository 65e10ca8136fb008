package org.taylorism.testing;

import org.taylorism.spi.WorkerLauncher;

/** The local launcher with a chosen way to start processes, for tests that run the same case on each. */
public final class Spawners {

    private Spawners() {
    }

    /**
     * The local launcher whose processes are started by {@code spawner}: {@code auto} (the native spawner, where there
     * is a C compiler), {@code perl}, or {@code false} (the JDK). The launcher reads the choice when it is made; the
     * property is put back as it was at once.
     */
    public static WorkerLauncher localWith(String spawner) {
        String before = System.getProperty("taylorism.spawner");
        System.setProperty("taylorism.spawner", spawner);
        try {
            return WorkerLauncher.localProcesses();
        } finally {
            if (before == null) {
                System.clearProperty("taylorism.spawner");
            } else {
                System.setProperty("taylorism.spawner", before);
            }
        }
    }
}
