package org.taylorism.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.taylorism.Boss;
import org.taylorism.BossListener;
import org.taylorism.RunningWorker;
import org.taylorism.Scheduler;
import org.taylorism.WorkerRegistry;
import org.taylorism.WorkerReport;

/**
 * A Boss recording into a store, in a JVM of its own, for tests about that JVM's death: one at a time, a quick
 * program that succeeds, one that sleeps, and one that never gets its turn. Prints {@code ready} once the first
 * has ended (and the store has it) and the second runs, then waits to be killed.
 */
public final class StoreBossProgram {

    private StoreBossProgram() {
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch ready = new CountDownLatch(2);
        try (JdbcRunStore store = JdbcRunStore.open(Path.of(args[0]))) {
            Boss boss = Boss.builder().store(store).scheduler(Scheduler.maxThreads(1)).registry(WorkerRegistry.builder().build())
                    .listener(new BossListener() {
                        @Override
                        public void started(RunningWorker worker) {
                            if (worker.name().equals("long")) {
                                ready.countDown();
                            }
                        }

                        @Override
                        public void succeeded(WorkerReport report) {
                            ready.countDown();
                        }
                    }).build();
            boss.addInstructions(List.of(Map.of("name", "quick", "command", List.of("true")),
                    Map.of("name", "long", "command", List.of("sleep", "600")), Map.of("name", "never", "command", List.of("true"))));
            boss.makeThemWork();
            ready.await();
            // The store writes in the background: wait until the quick one's end is in it.
            while (store.report(store.runs().get(0).id()).workers().isEmpty()) {
                Thread.onSpinWait();
            }
            System.out.println("ready");
            System.out.flush();
            boss.waitTillFinished();
        }
    }
}
