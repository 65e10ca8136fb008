package org.taylorism.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Boss;
import org.taylorism.Cause;
import org.taylorism.HaltPolicy;
import org.taylorism.Report;
import org.taylorism.RetryPolicy;
import org.taylorism.RunStatus;
import org.taylorism.Scheduler;
import org.taylorism.WorkerRegistry;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.client.ServerAddress;
import org.taylorism.client.SubmittedBatch;
import org.taylorism.client.TaylorismClient;
import org.taylorism.spi.WorkerLauncher;
import org.taylorism.testing.Leaks;

/**
 * Sub-tasks through a real server: Java workers in their own JVMs (fresh or pooled) submit sets to the Boss that runs
 * them, with a token of their own, and wait for them while every slot holds a waiting parent.
 */
class SubTaskServerTest {

    @TempDir
    Path directory;

    private Boss boss;
    private TaylorismServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (boss != null) {
            boss.close();
        }
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    private TaylorismClient serve(String name, WorkerLauncher launcher) throws IOException {
        server = TaylorismServer.create(ServerOptions.local(name));
        WorkerRegistry registry = WorkerRegistry.builder().register(FamilyWorkers.Parent.class).register(FamilyWorkers.Square.class)
                .register(FamilyWorkers.DyingParent.class).build();
        boss = Boss.builder().scheduler(Scheduler.maxThreads(2)).haltPolicy(HaltPolicy.KEEP_GOING).registry(registry)
                .launcher(launcher).runDirectory(directory.resolve("run-" + name)).listener(server.listener())
                .subTaskChannel(server.subTaskChannel()).build();
        server.start(boss, new SchedulerSettings("max-threads", Map.of("threads", "2"), getClass().getClassLoader(),
                HaltPolicy.KEEP_GOING, RetryPolicy.NONE));
        boss.makeThemWork();
        return TaylorismClient.connect(ServerAddress.local(name));
    }

    private static WorkerReport worker(Report report, String name) {
        return report.worker(name).orElseThrow(() -> new AssertionError(name + " is not in " + report.toJson()));
    }

    private void twoParentsOfThreeChildrenOnTwoSlotsFinish(TaylorismClient client) {
        SubmittedBatch parents = client.addInstructions(List.of(Map.of("name", "p1", "children", 3),
                Map.of("name", "p2", "children", 3)));
        Report report = client.waitFor(parents.id());
        assertEquals(RunStatus.FINISHED, report.status(), report.toJson());
        assertEquals(14, (int) worker(report, "p1").result(Integer.class), "1 + 4 + 9");
        assertEquals(14, (int) worker(report, "p2").result(Integer.class));
        Report whole = client.getReport(true);
        for (String parent : List.of("p1", "p2")) {
            for (int i = 1; i <= 3; i++) {
                WorkerReport child = worker(whole, parent + "/c" + i);
                assertEquals(WorkerStatus.SUCCEEDED, child.status(), child.toString());
                assertEquals(i * i, (int) child.result(Integer.class));
            }
        }
        assertEquals(8, whole.workers().size(), "each set ran once");
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void twoParentsOnTwoSlotsEachWaitingForThreeSubTasksFinishOnFreshJvms() throws Exception {
        twoParentsOfThreeChildrenOnTwoSlotsFinish(serve("family", WorkerLauncher.localProcesses()));
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void twoParentsOnTwoSlotsEachWaitingForThreeSubTasksFinishOnAWarmPool() throws Exception {
        twoParentsOfThreeChildrenOnTwoSlotsFinish(serve("pooled-family", WorkerLauncher.warmPool(2, 100)));
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aParentThatDiesTakesItsSubTasksWithIt() throws Exception {
        TaylorismClient client = serve("orphans", WorkerLauncher.localProcesses());
        SubmittedBatch parent = client.addInstructions(List.of(Map.of("name", "dying", "dying_parent", "yes")));
        Report report = client.waitFor(parent.id());
        assertTrue(worker(report, "dying").status().isFailure(), report.toJson());
        client.send(org.taylorism.Signal.END);
        Report whole = boss.waitTillFinished();
        for (int i = 1; i <= 3; i++) {
            WorkerReport sleeper = worker(whole, "dying/sleeper" + i);
            assertEquals(Cause.CANCELLED.jsonName(), sleeper.cause(), sleeper.toString());
            assertTrue(sleeper.error().message().contains("its parent 'dying'"), sleeper.error().message());
        }
    }

    @Test
    void aWorkersCallsNeedItsOwnTokenAndTheServersTokenOpensNoneOfThem() throws Exception {
        serve("gate", WorkerLauncher.localProcesses());
        HttpClient http = HttpClient.newHttpClient();
        for (String token : List.of(server.address().token(), "made-up")) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(server.address().url().resolve("/api/v1/subtasks"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("[]")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, answer.statusCode(), answer.body());
            assertEquals("{\"error\":\"unauthorized\"}", answer.body().replace(" ", ""));
        }
    }
}
