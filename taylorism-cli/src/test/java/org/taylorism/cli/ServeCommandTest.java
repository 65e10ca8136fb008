package org.taylorism.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Report;
import org.taylorism.RunStatus;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.client.ServerAddress;
import org.taylorism.client.TaylorismClient;
import org.taylorism.internal.Json;
import org.taylorism.testing.Leaks;

/**
 * {@code taylorism serve} in a JVM of its own, and the command-line clients ({@code submit}, {@code status},
 * {@code report}, {@code set}, {@code cancel}, {@code signal}) talking to it as a user would.
 */
class ServeCommandTest {

    @TempDir
    Path directory;

    private Process server;
    private CliRun cli = new CliRun();
    private static int servers;

    @AfterEach
    void noLeftovers() {
        if (server != null) {
            server.destroyForcibly();
            await().atMost(Duration.ofMinutes(1)).until(() -> !server.isAlive());
        }
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    private int run(String... args) {
        cli = new CliRun();
        return cli.run(args);
    }

    private String out() {
        return cli.out.toString();
    }

    private String err() {
        return cli.err.toString();
    }

    /** Starts {@code taylorism serve --name NAME} with {@code options}; returns once its address file is there. */
    private String serve(String... options) throws IOException {
        return serveAs("test-" + ProcessHandle.current().pid() + "-" + ++servers, options);
    }

    private String serveAs(String name, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.sqlite.tmpdir=" + directory, "-cp", System.getProperty("java.class.path"), TaylorismCommand.class.getName(),
                "serve", "--name", name, "--store", directory.resolve("state/runs.db").toString(), "--report",
                directory.resolve(name + ".report.json").toString()));
        command.addAll(List.of(options));
        server = new ProcessBuilder(command).redirectOutput(directory.resolve(name + ".out").toFile())
                .redirectError(directory.resolve(name + ".err").toFile()).start();
        Path address = ServerAddress.file(name);
        // Until it is this server's address (a killed one's may still be there).
        await().atMost(Duration.ofMinutes(2)).until(() -> !server.isAlive() || Files.exists(address)
                && Json.MAPPER.readTree(read(address)).path("pid").asLong() == server.pid());
        assertTrue(server.isAlive(), () -> read(directory.resolve(name + ".err")));
        return name;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private Path batch(String json) throws IOException {
        return Files.writeString(directory.resolve("batch-" + System.nanoTime() + ".json"), json);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void batchesAreSubmittedWatchedSteeredAndTheServerEndsOnEnd() throws Exception {
        String name = serve("-j", "1", "--policy", "keep-going");
        Path first = batch("{\"individual\": {\"command\": [[\"true\"], [\"sh\", \"-c\", \"exit 4\"]], \"name\": [\"ok\", \"bad\"]}}");

        assertEquals(3, run("submit", first.toString(), "--name", name, "--wait"), err());
        Report report = Report.fromJson(out());
        assertEquals(RunStatus.FINISHED, report.status());
        assertEquals(WorkerStatus.SUCCEEDED, report.worker("ok").orElseThrow().status());
        assertEquals(4, report.worker("bad").orElseThrow().exitCode());

        Path sleepers = batch("{\"individual\": {\"command\": [[\"sleep\", \"600\"], [\"sleep\", \"600\"], [\"sleep\", \"600\"]],"
                + " \"name\": [\"s1\", \"s2\", \"s3\"]}}");
        assertEquals(0, run("submit", sleepers.toString(), "--name", name), err());
        String second = (String) Json.MAPPER.readValue(out(), Map.class).get("batch");
        await().until(() -> run("status", second, "--name", name) == 0 && out().contains("s2 waits: 1/1 threads busy"));

        assertEquals(0, run("set", "max-threads=3", "--name", name), err());
        assertEquals(3, Json.MAPPER.readValue(out(), Map.class).get("max_threads"));
        await().until(() -> run("status", second, "--name", name, "--json") == 0 && Report.fromJson(out()).running().size() == 3);
        assertEquals(2, run("set", "max-threads=many", "--name", name));
        assertTrue(err().contains("max_threads must be a whole number, 0 or more, not 'many'; nothing was changed"), err());

        assertEquals(0, run("cancel", "s1", "--name", name), err());
        assertEquals(2, run("cancel", "nobody", "--name", name));
        assertTrue(err().contains("nothing called 'nobody' is pending or running"), err());

        assertEquals(0, run("status", "--name", name), err());
        assertTrue(out().lines().anyMatch(line -> line.startsWith("b1 ") && line.contains("finished")), out());

        assertEquals(0, run("signal", "stop_rightnow", "--name", name), err());
        assertTrue(server.waitFor(2, TimeUnit.MINUTES), "the server ends with its run");
        assertEquals(3, server.exitValue(), "some sets did not succeed");
        Report whole = Report.fromJson(Files.readString(directory.resolve(name + ".report.json")));
        assertEquals(5, whole.workers().size());
        assertEquals(WorkerStatus.CANCELLED, whole.worker("s1").orElseThrow().status());
        assertFalse(Files.exists(ServerAddress.file(name)), "its address is gone with it");

        assertEquals(4, run("status", "--name", name));
        assertTrue(err().contains("no taylorism server '" + name + "' runs here"), err());
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void watchFollowsABatchUntilItHasEnded() throws Exception {
        String name = serve("-j", "2");
        Path gate = directory.resolve("gate");
        // "held" ends, failing, only once the test opens the gate: after watch has begun, or before (then the report
        // watch asks for has it).
        Path batch = batch("{\"individual\": {\"name\": [\"quick\", \"held\"], \"command\": [[\"true\"], [\"sh\", \"-c\","
                + " \"while [ ! -e " + gate + " ]; do sleep 0.05; done; echo held back >&2; exit 5\"]]}}");
        assertEquals(0, run("submit", batch.toString(), "--name", name), err());
        CliRun watch = new CliRun();
        int[] exit = {-1};
        Thread watcher = new Thread(() -> exit[0] = watch.run("watch", "b1", "--name", name), "test-watch");
        watcher.start();
        await().until(() -> watch.err.toString().contains("taylorism: watching batch b1 of http://127.0.0.1:"));
        Files.createFile(gate);
        watcher.join(TimeUnit.MINUTES.toMillis(2));
        assertFalse(watcher.isAlive(), "watch ends with the batch");
        assertEquals(3, exit[0], watch.err.toString());
        assertTrue(watch.err.toString().contains("[2/2] held failed"), watch.err.toString());
        assertTrue(watch.err.toString().contains("taylorism: batch b1: finished, "), watch.err.toString());

        assertEquals(0, run("status", "--name", name), "a server keeps going after a failure: " + err());
        assertEquals(0, run("signal", "END", "--name", name), err());
        assertTrue(server.waitFor(2, TimeUnit.MINUTES));
    }

    /** Processes whose command line holds {@code text}. */
    private static List<ProcessHandle> processesWith(String text) {
        return ProcessHandle.allProcesses().filter(process -> process.info().commandLine().orElse("").contains(text)).toList();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void reportsTheServerLetGoOfAreReadBackFromTheStore() throws Exception {
        String name = serve("-j", "1", "--retain-results", "1");
        Path first = batch("{\"individual\": {\"command\": [[\"true\"], [\"sh\", \"-c\", \"exit 4\"]], \"name\": [\"ok\", \"bad\"]}}");
        assertEquals(3, run("submit", first.toString(), "--name", name, "--wait"), err());
        Path second = batch("{\"individual\": {\"command\": [[\"true\"]], \"name\": [\"later\"]}}");
        assertEquals(0, run("submit", second.toString(), "--name", name, "--wait"), err());

        Report whole = TaylorismClient.connect(ServerAddress.local(name)).getReport(true);
        assertEquals(List.of("later"), whole.workers().stream().map(WorkerReport::name).toList(), "the server holds one");
        assertEquals(2, whole.notHeld());
        assertEquals(2, whole.counts().get("succeeded"), "it counts every end");

        assertEquals(3, run("report", "b1", "--name", name), err());
        Report old = Report.fromJson(out());
        assertEquals(RunStatus.FINISHED, old.status());
        assertEquals(WorkerStatus.SUCCEEDED, old.worker("ok").orElseThrow().status(), "read back from the store");
        assertEquals(4, old.worker("bad").orElseThrow().exitCode());
        assertNull(old.notHeld());
        assertEquals(0, run("signal", "end", "--name", name), err());
        assertTrue(server.waitFor(2, TimeUnit.MINUTES), "the server ends with its run");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aServerKilledWithWorkRunningLeavesNoWorkerAndResumeFinishesItsBatch() throws Exception {
        String name = serve("-j", "4");
        Path marks = Files.createDirectories(directory.resolve("marks"));
        // c and d hang the first time they run (leaving a mark), and end at once the next time.
        String hangOnce = "if [ -e %1$s ]; then exit 0; fi; touch %1$s; sleep 600; echo %1$s";
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> set : List.of(Map.of("name", "a", "command", List.of("true")), Map.of("name", "b", "command", List.of("true")),
                Map.of("name", "c", "command", List.of("sh", "-c", String.format(hangOnce, marks.resolve("c")))),
                Map.of("name", "d", "command", List.of("sh", "-c", String.format(hangOnce, marks.resolve("d")))))) {
            lines.add(Json.MAPPER.writeValueAsString(set));
        }
        Path jsonl = Files.write(directory.resolve("sets.jsonl"), lines);
        assertEquals(0, run("submit", jsonl.toString(), "--name", name), err());
        await().atMost(Duration.ofMinutes(2)).until(() -> run("status", "b1", "--name", name, "--json") == 0
                && Report.fromJson(out()).workers().size() == 2 && Report.fromJson(out()).running().size() == 2
                && Files.exists(marks.resolve("c")) && Files.exists(marks.resolve("d")));

        assertEquals(0, new ProcessBuilder("kill", "-KILL", String.valueOf(server.pid())).start().waitFor());
        assertTrue(server.waitFor(1, TimeUnit.MINUTES));
        await().atMost(Duration.ofMinutes(1)).until(() -> processesWith(marks.toString()).isEmpty());

        serveAs(name, "-j", "4", "--resume");
        assertEquals(0, run("report", "b1", "--name", name), err());
        Report resumed = Report.fromJson(out());
        assertEquals(List.of("a", "b", "c", "d"), resumed.workers().stream().map(worker -> worker.name()).sorted().toList());
        assertTrue(resumed.isSuccess(), out());
        assertTrue(resumed.worker("a").orElseThrow().carriedFrom() != null, "a succeeded before: carried over, not run again");
        assertEquals(null, resumed.worker("c").orElseThrow().carriedFrom(), "c was killed with its server: run again");

        assertEquals(0, run("signal", "END", "--name", name), err());
        assertTrue(server.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, server.exitValue());
    }

    @Test
    void aWrongTokenABadAddressAndARefusedWorkerAreNamed() throws Exception {
        String name = serve("--no-command-worker");
        Path wrong = Files.writeString(directory.resolve("wrong-token"), "not-the-token\n");
        String url = Json.MAPPER.readTree(ServerAddress.file(name).toFile()).get("url").asText();
        assertEquals(2, run("status", "--server", url, "--token-file", wrong.toString()));
        assertTrue(err().contains("refused the token (401)"), err());
        assertEquals(2, run("status", "--server", url));
        assertTrue(err().contains("needs --token-file FILE"), err());

        assertEquals(2, run("submit", batch("{\"individual\": {\"command\": [[\"true\"]]}}").toString(), "--name", name));
        assertTrue(err().contains("refused the request (400)") && err().contains("nothing of the batch was queued"), err());

        assertEquals(0, run("signal", "END", "--name", name), err());
        assertTrue(server.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, server.exitValue(), read(directory.resolve(name + ".err")));

        Path badConfig = Files.writeString(directory.resolve("bad.toml"), "max_threads = 2\nretries = \"some\"\n");
        assertEquals(2, run("serve", "--name", name + "-config", "--config", badConfig.toString(), "--no-store"));
        assertTrue(err().contains("--config: " + badConfig.toAbsolutePath() + " line 2: retries must be a whole number"), err());
        assertFalse(Files.exists(ServerAddress.file(name + "-config")), "the server that could not start is gone");
        Leaks.assertNoBossThreads();
        assertEquals(2, run("serve", "--name", name + "-open", "--listen", "0.0.0.0:0", "--no-store"));
        assertTrue(err().contains("needs TLS") && err().contains("--tls-keystore"), err());
        assertEquals(2, run("serve", "--name", name + "-port", "--listen", "127.0.0.1:99999", "--no-store"));
        assertTrue(err().contains("--listen '127.0.0.1:99999': the port is not a number from 0 to 65535"), err());
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void withAKeyStoreItListensBeyondTheLoopbackAddress() throws Exception {
        Path keystore = directory.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "test-password", "-keypass", "test-password")
                .redirectErrorStream(true).start();
        String said = new String(keytool.getInputStream().readAllBytes());
        assertTrue(keytool.waitFor(2, TimeUnit.MINUTES) && keytool.exitValue() == 0, said);
        Path password = Files.writeString(directory.resolve("password"), "test-password\n");
        // A bad --config ends the server right after it has begun listening: enough to know it could.
        Path badConfig = Files.writeString(directory.resolve("bad.toml"), "max_threads = -1\n");
        String name = "test-" + ProcessHandle.current().pid() + "-tls";

        assertEquals(2, run("serve", "--name", name, "--listen", "0.0.0.0:0", "--tls-keystore", keystore.toString(),
                "--tls-password-file", password.toString(), "--config", badConfig.toString(), "--no-store"));
        assertTrue(err().contains("--config: ") && !err().contains("needs TLS"), err());
        assertFalse(Files.exists(ServerAddress.file(name)));
    }
}
