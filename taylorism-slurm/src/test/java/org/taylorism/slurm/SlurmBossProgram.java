package org.taylorism.slurm;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.taylorism.Boss;
import org.taylorism.BossListener;
import org.taylorism.RunningWorker;
import org.taylorism.WorkerRegistry;

/**
 * A Boss on Slurm in a JVM of its own, for the test that kills that JVM: runs one long program, as a step of
 * allocation {@code args[1]} or, with {@code jobs}, as a batch job; prints {@code started} once it runs, then
 * waits to be killed.
 */
public final class SlurmBossProgram {

    private SlurmBossProgram() {
    }

    public static void main(String[] args) throws Exception {
        SlurmOptions options = args[1].equals("jobs") ? SlurmOptions.defaults().withMode(SlurmOptions.Mode.JOBS)
                : SlurmOptions.defaults().withJobId(args[1]);
        Boss boss = Boss.builder()
                .launcher(SlurmLauncher.create(options))
                .runDirectory(Path.of(args[0]))
                .registry(WorkerRegistry.builder().build())
                .listener(new BossListener() {
                    @Override
                    public void started(RunningWorker worker) {
                        System.out.println("started");
                        System.out.flush();
                    }
                })
                .build();
        boss.addInstructions(List.of(Map.of("name", args[2], "command", List.of("sleep", "600"))));
        boss.makeThemWork();
        Thread.currentThread().join();
    }
}
