package org.taylorism.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Boss;
import org.taylorism.Report;
import org.taylorism.WorkerReport;
import org.taylorism.testing.Leaks;

/** Binding for real: the program's own affinity is the CPU the report names. */
class CpuBindingProcessTest {

    @TempDir
    Path runDirectory;

    @Test
    void eachWorkerRunsOnTheCpuOfItsTicket() throws IOException {
        List<Integer> order = CpuTopology.socketPacked();
        Report report;
        try (Boss boss = Boss.builder().runDirectory(runDirectory)
                .scheduler(Schedulers.withCpuBinding(Schedulers.maxThreads(order.size())))
                .build()) {
            boss.setInstructions(Map.of("command", List.of("grep", "Cpus_allowed_list", "/proc/self/status")),
                    Map.of("name", List.of("first", "second")));
            boss.makeThemWork();
            report = boss.waitTillFinished();
        }
        for (WorkerReport worker : report.workers()) {
            int cpu = order.get(worker.ticket() % order.size());
            assertEquals(List.of(cpu), worker.cpus());
            assertEquals("Cpus_allowed_list:\t" + cpu, Files.readString(Path.of(worker.stdout())).strip());
        }
        Leaks.assertNoChildProcesses();
    }
}
