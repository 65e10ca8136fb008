package org.taylorism.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.taylorism.Boss;
import org.taylorism.Scheduler;
import org.taylorism.WorkerRegistry;

/** A Boss in a JVM of its own, for tests that kill that JVM: runs one long Java worker and waits. */
public final class BossProgram {

    private BossProgram() {
    }

    public static void main(String[] args) {
        Boss boss = Boss.builder()
                .scheduler(Scheduler.maxThreads(2))
                .runDirectory(Path.of(args[0]))
                .registry(WorkerRegistry.builder().register(TestWorkers.Nap.class).build())
                .build();
        boss.addInstructions(List.of(Map.of("name", "long-nap", "nap_seconds", 600)));
        boss.makeThemWork();
        boss.waitTillFinished();
    }
}
