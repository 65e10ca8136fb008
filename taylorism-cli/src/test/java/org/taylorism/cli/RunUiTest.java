package org.taylorism.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.client.ServerAddress;
import org.taylorism.testing.Leaks;

/** {@code taylorism run --ui}: the web page and the API of a run in the foreground, while it goes on, and gone after. */
class RunUiTest {

    @TempDir
    Path directory;

    @AfterEach
    void noLeftovers() {
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    @Test
    void aForegroundRunServesItsPageWhileItGoesOn() throws Exception {
        Path release = directory.resolve("release");
        Path batch = Files.writeString(directory.resolve("batch.jsonl"),
                "{\"name\": \"waiter\", \"command\": [\"sh\", \"-c\", \"while [ ! -e " + release + " ]; do sleep 0.05; done\"]}\n");
        CliRun cli = new CliRun();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.run("run", batch.toString(), "--ui",
                "--workdir", directory.resolve("work").toString(), "--output", "none"));
        Pattern page = Pattern.compile("web page (\\S+) while the run goes on \\(its token is in (\\S+)\\)");
        Matcher said = await().atMost(Duration.ofMinutes(1)).until(() -> page.matcher(cli.err.toString()), Matcher::find);
        URI url = URI.create(said.group(1));
        ServerAddress address = ServerAddress.of(url, Path.of(said.group(2)));
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> html = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, html.statusCode());
        assertTrue(html.body().contains("<script src=\"app.js\""), html.body());
        await().atMost(Duration.ofMinutes(1)).until(() -> http.send(HttpRequest.newBuilder(url.resolve("/api/v1/overview"))
                .header("Authorization", "Bearer " + address.token()).build(), HttpResponse.BodyHandlers.ofString()).body()
                .contains("\"name\":\"waiter\""));

        Files.createFile(release);
        assertEquals(0, exit.get(), cli.err.toString());
        assertFalse(Files.exists(Path.of(said.group(2))), "the address file goes with the run");
    }
}
