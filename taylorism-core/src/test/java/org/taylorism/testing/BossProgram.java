package org.taylorism.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.taylorism.Boss;
import org.taylorism.BossListener;
import org.taylorism.RunningWorker;
import org.taylorism.Scheduler;
import org.taylorism.WorkerRegistry;

/**
 * A Boss in a JVM of its own, for tests about that JVM's end. Runs one long Java worker and one long
 * program (a shell with a sleeping child). Then, with argument {@code wait}, waits to be killed; with
 * {@code exit}, calls System.exit(0) once both workers run and a line arrives on stdin.
 */
public final class BossProgram {

    private BossProgram() {
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        Boss boss = Boss.builder()
                .scheduler(Scheduler.maxThreads(2))
                .runDirectory(Path.of(args[0]))
                .registry(WorkerRegistry.builder().register(TestWorkers.Nap.class).build())
                .listener(new BossListener() {
                    @Override
                    public void started(RunningWorker worker) {
                        started.countDown();
                    }
                })
                .build();
        boss.addInstructions(List.of(
                Map.of("name", "long-nap", "nap_seconds", 600),
                Map.of("name", "long-program", "command", List.of("sh", "-c", "sleep 600 & wait"))));
        boss.makeThemWork();
        if (args[1].equals("pause")) {
            started.await();
            boss.pauseWorker("long-nap"); // a stopped JVM cannot notice its Boss is gone: the watchdog must
        }
        if (args[1].equals("exit")) {
            started.await();
            // The test looks at the workers first, then says go.
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
            System.exit(0);
        }
        boss.waitTillFinished();
    }
}
