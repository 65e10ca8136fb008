package org.taylorism.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Boss;
import org.taylorism.HaltPolicy;
import org.taylorism.RetryPolicy;
import org.taylorism.Scheduler;
import org.taylorism.client.ServerAddress;
import org.taylorism.client.TaylorismClient;
import org.taylorism.testing.Leaks;

/** {@code GET /metrics}: Prometheus' text format, with the server's token only, counting what real workers did. */
class MetricsTest {

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

    private HttpResponse<String> scrape(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.address().url().resolve("/metrics")).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsCountStartsEndsByStatusAndCauseAndWaitsAndNeedTheToken() throws Exception {
        String name = "metrics-" + ProcessHandle.current().pid();
        server = TaylorismServer.create(ServerOptions.local(name));
        boss = Boss.builder().scheduler(Scheduler.maxThreads(2)).haltPolicy(HaltPolicy.KEEP_GOING)
                .runDirectory(directory.resolve("run")).listener(server.listener()).build();
        boss.makeThemWork();
        server.start(boss, new SchedulerSettings("max-threads", Map.of("threads", "2"), getClass().getClassLoader(),
                HaltPolicy.KEEP_GOING, RetryPolicy.NONE));
        TaylorismClient client = TaylorismClient.connect(ServerAddress.local(name));

        assertEquals(401, scrape(null).statusCode());
        assertEquals(401, scrape("wrong").statusCode());

        client.addInstructions(List.of(Map.of("name", "ok", "command", List.of("true")), Map.of("name", "bad", "command", List.of("false")),
                Map.of("name", "never", "command", List.of("true"), "after", "bad")));
        String token = server.address().token();
        await().atMost(Duration.ofMinutes(1)).until(() -> scrape(token).body().contains("taylorism_workers_started_total 2.0"));
        await().atMost(Duration.ofMinutes(1)).until(() -> scrape(token).body().contains("taylorism_sets_pending 0.0"));
        HttpResponse<String> metrics = scrape(token);
        String text = metrics.body();
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                metrics.headers().toString());
        assertTrue(text.contains("taylorism_workers_ended_total{cause=\"\",status=\"succeeded\"} 1.0"), text);
        assertTrue(text.contains("taylorism_workers_ended_total{cause=\"exit_code\",status=\"failed\"} 1.0"), text);
        assertTrue(text.contains("taylorism_workers_ended_total{cause=\"dependency_never_satisfied\",status=\"cancelled\"} 1.0"), text);
        assertTrue(text.contains("taylorism_workers_running 0.0"), text);
        assertTrue(text.contains("taylorism_slots 2.0"), text);
        assertTrue(text.contains("taylorism_submission_to_start_seconds_count 2"), text);
        assertTrue(text.contains("# TYPE taylorism_end_to_next_start_seconds histogram"), text);
        assertTrue(text.contains("# TYPE taylorism_store_write_seconds histogram"), text);
    }
}
