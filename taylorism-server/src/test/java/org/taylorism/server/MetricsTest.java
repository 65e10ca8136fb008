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
import org.taylorism.client.TaylorismClient;
import org.taylorism.testing.Leaks;

/** {@code GET /metrics}: Prometheus' text format, with the server's token only, counting what real workers did. */
class MetricsTest {

    @TempDir
    Path directory;

    private Served served;

    @AfterEach
    void stop() {
        if (served != null) {
            served.close();
        }
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    private HttpResponse<String> scrape(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(served.server.address().url().resolve("/metrics")).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsCountStartsEndsByStatusAndCauseAndWaitsAndNeedTheToken() throws Exception {
        served = Served.start("metrics", 2, directory.resolve("run"));
        TaylorismClient client = served.client;

        assertEquals(401, scrape(null).statusCode());
        assertEquals(401, scrape("wrong").statusCode());

        client.addInstructions(List.of(Map.of("name", "ok", "command", List.of("true")), Map.of("name", "bad", "command", List.of("false")),
                Map.of("name", "never", "command", List.of("true"), "after", "bad")));
        String token = served.server.address().token();
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
