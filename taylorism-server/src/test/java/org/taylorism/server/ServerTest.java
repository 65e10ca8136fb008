package org.taylorism.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Boss;
import org.taylorism.HaltPolicy;
import org.taylorism.Report;
import org.taylorism.RetryPolicy;
import org.taylorism.RunStatus;
import org.taylorism.Scheduler;
import org.taylorism.Signal;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.client.ServerAddress;
import org.taylorism.client.ServerEvent;
import org.taylorism.client.ServerException;
import org.taylorism.client.SubmittedBatch;
import org.taylorism.client.TaylorismClient;
import org.taylorism.internal.Json;
import org.taylorism.testing.Leaks;

/**
 * A server in this JVM, serving a Boss whose workers are real processes, asked by clients over real HTTP: the token,
 * batches, reports, signals, live settings and events.
 */
class ServerTest {

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

    /** A server called {@code name} of a Boss of at most {@code threads} workers at once, told to work. */
    private TaylorismClient serve(String name, int threads) throws IOException {
        return serve(name, threads, new BatchBook());
    }

    private TaylorismClient serve(String name, int threads, BatchBook batches) throws IOException {
        server = TaylorismServer.create(ServerOptions.local(name), batches);
        boss = Boss.builder().scheduler(Scheduler.maxThreads(threads)).haltPolicy(HaltPolicy.KEEP_GOING)
                .runDirectory(directory.resolve("run-" + name)).listener(server.listener()).build();
        boss.makeThemWork();
        server.start(boss, new SchedulerSettings("max-threads", Map.of("threads", String.valueOf(threads)),
                getClass().getClassLoader(), HaltPolicy.KEEP_GOING, RetryPolicy.NONE));
        return TaylorismClient.connect(ServerAddress.local(name));
    }

    private static Map<String, Object> command(String name, String... command) {
        return Map.of("name", name, "command", List.of(command));
    }

    private HttpResponse<String> raw(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.address().url().resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestWithoutTheServersTokenIsRefusedWithNoHintOfWhatExists() throws Exception {
        TaylorismClient client = serve("tokens", 2);
        TaylorismServer other = TaylorismServer.create(ServerOptions.local("other"));
        try (Boss otherBoss = Boss.builder().listener(other.listener()).runDirectory(directory.resolve("other")).build()) {
            other.start(otherBoss, new SchedulerSettings("max-threads", Map.of(), getClass().getClassLoader(),
                    HaltPolicy.KEEP_GOING, RetryPolicy.NONE));
            String othersToken = other.address().token();
            for (String authorization : new String[] {null, "Bearer wrong", "Bearer " + othersToken, "Basic "
                    + othersToken, "Bearer " + server.address().token() + "x"}) {
                for (String path : List.of("/api/v1/report", "/api/v1/nothing", "/elsewhere", "/api/v1/signals/STOP")) {
                    HttpResponse<String> refused = raw(path.contains("signals") ? "POST" : "GET", path, authorization);
                    assertEquals(401, refused.statusCode(), authorization + " " + path);
                    assertEquals("{\"error\":\"unauthorized\"}", refused.body(), "the same answer, whatever was asked");
                    assertEquals("Bearer", refused.headers().firstValue("WWW-Authenticate").orElse(null));
                }
            }
        } finally {
            other.close();
        }
        assertEquals(RunStatus.INTERIM, client.getReport(true).status(), "no signal got through");
        assertEquals(404, raw("GET", "/api/v1/nothing", "Bearer " + server.address().token()).statusCode());
        assertEquals(405, raw("DELETE", "/api/v1/report", "Bearer " + server.address().token()).statusCode());

        Path file = ServerAddress.file("tokens");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertTrue(Files.readString(file).contains(server.address().token()));
        assertFalse(server.address().toString().contains(server.address().token()), "an address never shows its token");
        server.close();
        assertFalse(Files.exists(file), "a closed server leaves no address behind");
    }

    @Test
    void anEndedBatchPastTheBoundsIsCountedThenGoneAndItsNamesStayTaken() throws Exception {
        TaylorismClient client = serve("bounded", 2, new BatchBook(1, 1));
        for (String name : List.of("s1", "s2", "s3")) {
            SubmittedBatch batch = client.addInstructions(List.of(command(name, "true")));
            assertEquals(RunStatus.FINISHED, client.waitFor(batch.id()).status());
        }

        ServerException gone = assertThrows(ServerException.class, () -> client.batchReport("b1"));
        assertEquals(410, gone.status());
        assertTrue(gone.getMessage().contains("batch 'b1' ended and was let go of: the server keeps the counts of the last 1 ended"),
                gone.getMessage());
        Report counted = client.batchReport("b2");
        assertEquals(RunStatus.FINISHED, counted.status());
        assertEquals(List.of(), counted.workers(), "its names are forgotten");
        assertEquals(1, counted.notHeld());
        assertEquals(1, counted.counts().get("succeeded"));
        assertEquals(List.of("s3"), client.batchReport("b3").workers().stream().map(WorkerReport::name).toList());
        assertEquals(404, assertThrows(ServerException.class, () -> client.batchReport("b4")).status());
        assertEquals(409, assertThrows(ServerException.class, () -> client.addInstructions(List.of(command("s1", "true")))).status(),
                "the name of a batch gone is still taken");
    }

    @Test
    void batchesAreSubmittedRunAndReportedEachOnItsOwn() throws Exception {
        TaylorismClient client = serve("batches", 2);
        SubmittedBatch first = client.addInstructions(List.of(command("ok", "true"), command("bad", "false")));
        SubmittedBatch second = client.setInstructions(Map.of("command", List.of("sh", "-c", "echo [n]")),
                Map.of("n", List.of(1, 2, 3)));
        assertEquals(List.of("ok", "bad"), first.names());
        assertEquals(3, second.names().size());

        Report firstReport = client.waitFor(first.id());
        assertEquals(RunStatus.FINISHED, firstReport.status());
        assertEquals(WorkerStatus.SUCCEEDED, firstReport.worker("ok").orElseThrow().status());
        assertEquals(WorkerStatus.FAILED, firstReport.worker("bad").orElseThrow().status());
        assertEquals(2, firstReport.workers().size(), "only the batch's own sets");

        Report both = client.waitTillFinished();
        assertEquals(5, both.workers().size());
        List<Map<String, Object>> listed = client.batches();
        assertEquals(List.of(first.id(), second.id()), listed.stream().map(batch -> batch.get("batch")).toList());
        assertEquals(List.of("finished", "finished"), listed.stream().map(batch -> batch.get("status")).toList());
        assertEquals(List.of(2, 3), listed.stream().map(batch -> batch.get("sets")).toList());
        @SuppressWarnings("unchecked")
        Map<String, Object> firstCounts = (Map<String, Object>) listed.get(0).get("counts");
        assertEquals(1, firstCounts.get("succeeded"));
        assertEquals(1, firstCounts.get("failed"));
        assertEquals(0, firstCounts.get("running"));

        ServerException clash = assertThrows(ServerException.class, () -> client.addInstructions(List.of(command("ok", "true"))));
        assertEquals(409, clash.status());
        assertTrue(clash.getMessage().contains("names already used in this server's run (or twice in the batch): ok"), clash.getMessage());
        client.waitFor(client.addInstructions(List.of(Map.of("name", 7, "command", List.of("true")))).id());
        ServerException numbered = assertThrows(ServerException.class,
                () -> client.addInstructions(List.of(Map.of("name", 7, "command", List.of("true")))));
        assertEquals(409, numbered.status(), "a name given as a number is its worker's name as text: taken as such");
        assertTrue(numbered.getMessage().contains("names already used in this server's run (or twice in the batch): 7"),
                numbered.getMessage());
        List<Integer> thousand = IntStream.range(0, 1_000).boxed().toList();
        String grid = Json.MAPPER.writeValueAsString(Map.of("common", Map.of("command", List.of("true")),
                "product", Map.of("a", thousand, "b", thousand, "c", thousand)));
        HttpResponse<String> tooBig = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.address().url().resolve("/api/v1/batches"))
                .header("Authorization", "Bearer " + server.address().token()).POST(HttpRequest.BodyPublishers.ofString(grid)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, tooBig.statusCode(), tooBig.body());
        assertTrue(tooBig.body().contains("the product instructions make 1000000000 sets (") && tooBig.body().contains(
                "more than the " + Api.MOST_SETS_OF_A_GRID + " one batch may hold"), tooBig.body());
        ServerException bad = assertThrows(ServerException.class, () -> client.addInstructions(List.of(Map.of("nobody", "reads"))));
        assertEquals(400, bad.status());
        assertTrue(bad.getMessage().contains("instruction set #1"), bad.getMessage());
        assertTrue(bad.getMessage().contains("nothing of the batch was queued"), bad.getMessage());
        assertEquals(404, assertThrows(ServerException.class, () -> client.batchReport("b99")).status());
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void asManyEventStreamsAsTheServerTakesLeaveItAnsweringOthersAndTheOneTooManyIsRefused() throws Exception {
        TaylorismClient client = serve("streams", 1);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest events = HttpRequest.newBuilder(server.address().url().resolve("/api/v1/events"))
                .header("Authorization", "Bearer " + server.address().token()).timeout(Duration.ofMinutes(1)).build();
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        try {
            for (int i = 0; i < ServerOptions.local("streams").maxEventStreams(); i++) {
                HttpResponse<InputStream> stream = http.send(events, HttpResponse.BodyHandlers.ofInputStream());
                open.add(stream);
                assertEquals(200, stream.statusCode());
            }
            assertEquals(503, http.send(events, HttpResponse.BodyHandlers.ofString()).statusCode(),
                    "the stream one too many is refused, not left waiting for a thread");
            assertEquals(1, client.settings().get("max_threads"), "other requests are still answered");
        } finally {
            for (HttpResponse<InputStream> stream : open) {
                stream.body().close();
            }
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void tenClientsSubmittingAHundredBatchesAtOnceHaveEverySetRunOnce() throws Exception {
        serve("crowd", 2);
        Path marks = Files.createDirectories(directory.resolve("marks"));
        ExecutorService clients = Executors.newFixedThreadPool(10);
        try {
            List<Future<Report>> reports = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                int number = c;
                reports.add(clients.submit(() -> {
                    TaylorismClient client = TaylorismClient.connect(ServerAddress.local("crowd"));
                    for (int b = 0; b < 10; b++) {
                        String name = "c" + number + "-b" + b;
                        client.addInstructions(List.of(command(name + "-x", "touch", marks.resolve(name + "-x").toString()),
                                command(name + "-y", "touch", marks.resolve(name + "-y").toString())));
                    }
                    return client.waitTillFinished();
                }));
            }
            for (Future<Report> future : reports) {
                Report report = future.get(2, TimeUnit.MINUTES);
                assertEquals(RunStatus.FINISHED, report.status());
                assertEquals(20, report.workers().size());
                assertTrue(report.workers().stream().allMatch(worker -> worker.status() == WorkerStatus.SUCCEEDED));
            }
        } finally {
            clients.shutdownNow();
        }
        try (Stream<Path> files = Files.list(marks)) {
            assertEquals(200, files.count());
        }
        Report whole = TaylorismClient.connect(ServerAddress.local("crowd")).getReport(true);
        assertEquals(200, whole.workers().size());
        assertEquals(200, whole.workers().stream().map(WorkerReport::name).distinct().count(), "each set ran once");
    }

    @Test
    void settingsChangeLiveAndABadChangeChangesNothing() throws Exception {
        TaylorismClient client = serve("settings", 1);
        List<Map<String, Object>> sleepers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sleepers.add(command("sleeper-" + i, "sleep", "600"));
        }
        client.addInstructions(sleepers);
        await().until(() -> client.getReport(true).running().size() == 1);
        assertTrue(client.getReport(true).pending().get(0).reason().contains("1/1 threads busy"));

        ServerException bad = assertThrows(ServerException.class, () -> client.reconfigure(Map.of("max_threads", -1, "halt", "never")));
        assertEquals(400, bad.status());
        assertTrue(bad.getMessage().contains("max_threads must be a whole number, 0 or more, not -1; nothing was changed"), bad.getMessage());
        assertEquals(1, client.settings().get("max_threads"));
        assertEquals(400, assertThrows(ServerException.class, () -> client.reconfigure(Map.of("threads", 4))).status());
        ServerException tooMany = assertThrows(ServerException.class, () -> client.reconfigure(Map.of("retries", Integer.MAX_VALUE)));
        assertEquals(400, tooMany.status());
        assertTrue(tooMany.getMessage().contains("retries must be at most 2147483646 (its attempts are one more), not 2147483647;"
                + " nothing was changed"), tooMany.getMessage());

        Map<String, Object> now = client.reconfigure(Map.of("max_threads", 4, "halt", "now,fail=2"));
        assertEquals(4, now.get("max_threads"));
        assertEquals("now,fail=2", now.get("halt"));
        await().until(() -> client.getReport(true).running().size() == 4);

        client.send(Signal.STOP_RIGHTNOW);
        Report report = client.waitTillFinished();
        assertEquals(4, report.workers().size());
        assertTrue(report.workers().stream().allMatch(worker -> worker.status() == WorkerStatus.KILLED));
    }

    /** Replaces {@code file}'s text in one step, as editors do: the watcher never reads half an edit. */
    private static void edit(Path file, String text) throws IOException {
        Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), text);
        Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aConfigurationFileIsReadAgainWhenEditedAndABadEditChangesNothing() throws Exception {
        Path config = Files.writeString(directory.resolve("serve.toml"), "# the server's settings\nmax_threads = 1\n");
        TaylorismClient client = serve("config", 2);
        server.watchSettings(config);
        assertEquals(1, client.settings().get("max_threads"), "read at once");
        List<ServerEvent> seen = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> client.events(seen::add), "test-event-reader");
        reader.start();
        await().until(() -> server.openEventStreams() == 1);
        List<Map<String, Object>> sleepers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sleepers.add(command("nap-" + i, "sleep", "600"));
        }
        client.addInstructions(sleepers);
        await().until(() -> client.getReport(true).running().size() == 1);

        edit(config, "max_threads = 4\nhalt = \"never\"\n");
        await().until(() -> client.getReport(true).running().size() == 4);
        assertEquals("never", client.settings().get("halt"));

        edit(config, "max_threads = 2\nhalt = = \"now\"\n");
        await().until(() -> seen.stream().anyMatch(event -> event.type().equals("config-rejected")));
        String problem = (String) seen.stream().filter(event -> event.type().equals("config-rejected")).findFirst().orElseThrow()
                .data().get("error");
        assertTrue(problem.startsWith(config + " line 2 is not TOML"), problem);
        edit(config, "max_threads = 2\nretries = \"some\"\n");
        await().until(() -> seen.stream().filter(event -> event.type().equals("config-rejected")).count() == 2);
        String refused = (String) seen.stream().filter(event -> event.type().equals("config-rejected")).skip(1).findFirst()
                .orElseThrow().data().get("error");
        assertTrue(refused.startsWith(config + " line 2: retries must be a whole number"), refused);
        assertEquals(4, client.settings().get("max_threads"), "the bad edits changed nothing");

        Path broken = Files.writeString(directory.resolve("broken.toml"), "max_threads = [\n");
        IllegalArgumentException atStart = assertThrows(IllegalArgumentException.class, () -> server.watchSettings(broken));
        assertTrue(atStart.getMessage().startsWith(broken + " line "), atStart.getMessage());

        client.send(Signal.STOP_RIGHTNOW);
        reader.join(TimeUnit.MINUTES.toMillis(1));
    }

    @Test
    void theEventStreamTellsWhatHappensUntilTheRunEnds() throws Exception {
        TaylorismClient client = serve("events", 2);
        List<ServerEvent> seen = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> client.events(seen::add), "test-event-reader");
        reader.start();
        await().until(() -> server.openEventStreams() == 1);
        client.reconfigure(Map.of("max_threads", 3));
        client.addInstructions(List.of(command("one", "true"), command("two", "false")));
        client.waitTillFinished();
        client.send(Signal.END);
        reader.join(TimeUnit.MINUTES.toMillis(1));
        assertFalse(reader.isAlive(), "the stream ends with the run");
        Set<String> types = seen.stream().map(ServerEvent::type).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("hello", "reconfigured", "started", "ended", "run-ended"), types);
        assertEquals("hello", seen.get(0).type());
        assertEquals("run-ended", seen.get(seen.size() - 1).type());
        assertTrue(seen.stream().anyMatch(event -> event.type().equals("ended") && "two".equals(event.data().get("name"))
                && "failed".equals(event.data().get("status"))), seen.toString());
    }

    /** Runs the JDK's keytool with {@code args}; fails the test, with what it said, if it fails. */
    private void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(keytool.getInputStream().readAllBytes());
        assertTrue(keytool.waitFor(2, TimeUnit.MINUTES), "keytool did not end");
        assertEquals(0, keytool.exitValue(), said);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void overTlsAClientTrustingTheServersCertificateGetsInAndOthersDoNot() throws Exception {
        Path keystore = directory.resolve("server.p12");
        Path certificate = directory.resolve("server.crt");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "test-password", "-keypass", "test-password");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(), "-storepass", "test-password",
                "-file", certificate.toString());
        server = TaylorismServer.create(ServerOptions.local("tls").withTls(keystore, "test-password".toCharArray()));
        boss = Boss.builder().runDirectory(directory.resolve("run-tls")).listener(server.listener()).build();
        boss.makeThemWork();
        server.start(boss, new SchedulerSettings("max-threads", Map.of(), getClass().getClassLoader(), HaltPolicy.KEEP_GOING,
                RetryPolicy.NONE));
        assertEquals("https", server.address().url().getScheme());

        TaylorismClient trusting = TaylorismClient.connect(server.address(), certificate);
        SubmittedBatch batch = trusting.addInstructions(List.of(command("over-tls", "true")));
        assertEquals(WorkerStatus.SUCCEEDED, trusting.waitFor(batch.id()).worker("over-tls").orElseThrow().status());

        ServerException untrusted = assertThrows(ServerException.class, () -> TaylorismClient.connect(server.address()).getReport(true));
        assertEquals(0, untrusted.status(), "no answer: the handshake failed");
        assertTrue(untrusted.getMessage().contains(server.address().url().toString()), untrusted.getMessage());
        Path notACertificate = Files.writeString(directory.resolve("not.crt"), "hello");
        ServerException bad = assertThrows(ServerException.class, () -> TaylorismClient.connect(server.address(), notACertificate));
        assertTrue(bad.getMessage().contains("cannot use the certificate file " + notACertificate), bad.getMessage());
    }

    @Test
    void listeningBeyondThisMachineNeedsTls() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.local("x").listeningOn(new java.net.InetSocketAddress("0.0.0.0", 0)));
        assertTrue(refused.getMessage().contains("needs TLS"), refused.getMessage());
        IllegalArgumentException escape = assertThrows(IllegalArgumentException.class, () -> ServerOptions.local("../escape"));
        assertTrue(escape.getMessage().contains("'../escape' is not a server name"), escape.getMessage());
    }
}
