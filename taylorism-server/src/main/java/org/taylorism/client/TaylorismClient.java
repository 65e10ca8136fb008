package org.taylorism.client;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.taylorism.BossContact;
import org.taylorism.ErrorInfo;
import org.taylorism.PendingTask;
import org.taylorism.Report;
import org.taylorism.RunStatus;
import org.taylorism.RunningReport;
import org.taylorism.Signal;
import org.taylorism.WorkerReport;
import org.taylorism.internal.Json;

/**
 * A client of a taylorism server, whose verbs mirror {@link org.taylorism.Boss}'s: code written for a Boss in its
 * own JVM runs against a server by changing the line that makes it.
 *
 * <pre>{@code
 * TaylorismClient boss = TaylorismClient.connect();   // the local server called "default"
 * boss.setInstructions(Map.of("wakeup_sentence", "Hi"), Map.of("sleeping_time", List.of(1, 2)));
 * Report report = boss.waitTillFinished();            // the report of what this client submitted
 * }</pre>
 *
 * <p>Thread-safe. Reports, results and errors are typed as a Boss gives them. A refusal, or a server that cannot
 * be reached, is a {@link ServerException} with the server's words and the HTTP status.
 */
public final class TaylorismClient {

    private static final Duration LONG_POLL = Duration.ofSeconds(60);

    private final ServerAddress address;
    private final HttpClient http;
    private final List<SubmittedBatch> submitted = new ArrayList<>();

    private TaylorismClient(ServerAddress address, SSLContext tls) {
        this.address = address;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        this.http = (tls == null ? builder : builder.sslContext(tls)).build();
    }

    /** The local server called {@value ServerAddress#DEFAULT_NAME}. */
    public static TaylorismClient connect() {
        return connect(ServerAddress.local(ServerAddress.DEFAULT_NAME));
    }

    /** The server at {@code address}; over HTTPS, its certificate must be one this JVM trusts. */
    public static TaylorismClient connect(ServerAddress address) {
        return new TaylorismClient(Objects.requireNonNull(address, "address"), null);
    }

    /**
     * The server at {@code address}, over HTTPS, trusting the certificate in {@code certificate} (PEM or DER): a
     * server's own certificate, or the authority's that signed it.
     *
     * @throws ServerException naming the file when it cannot be read or holds no certificate
     */
    public static TaylorismClient connect(ServerAddress address, Path certificate) {
        Objects.requireNonNull(address, "address");
        try (InputStream in = Files.newInputStream(certificate)) {
            return new TaylorismClient(address, trusting(in, "the certificate file " + certificate));
        } catch (IOException e) {
            throw new ServerException(0, "cannot use the certificate file " + certificate + ": " + e.getMessage(), e);
        }
    }

    /** A client holding a worker's own contact to its Boss: only the sub-task calls are open to it ({@link SubTasks}). */
    static TaylorismClient forContact(BossContact contact) {
        ServerAddress address = new ServerAddress(URI.create(contact.address()), contact.token(), -1);
        SSLContext tls = contact.certificate() == null ? null
                : trusting(new ByteArrayInputStream(contact.certificate().getBytes(StandardCharsets.US_ASCII)),
                        "the certificate in the worker's contact to its Boss");
        return new TaylorismClient(address, tls);
    }

    /** @param what the certificates' source, to name it in errors */
    private static SSLContext trusting(InputStream in, String what) {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int number = 0;
            for (Certificate each : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("trusted-" + ++number, each);
            }
            if (number == 0) {
                throw new ServerException(0, what + " holds no certificate");
            }
            TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            managers.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, managers.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ServerException(0, "cannot use " + what + ": " + e.getMessage(), e);
        }
    }

    public ServerAddress address() {
        return address;
    }

    /** Submits the sets made from {@code common} and {@code individual}, as one batch. */
    public SubmittedBatch setInstructions(Map<String, ?> common, Map<String, ?> individual) {
        return submit(Map.of("common", common, "individual", individual));
    }

    /** Submits instruction sets given one by one, as one batch. */
    public SubmittedBatch addInstructions(List<? extends Map<String, ?>> instructionSets) {
        return submit(Map.of("sets", instructionSets));
    }

    private SubmittedBatch submit(Map<String, ?> body) {
        Map<String, Object> answer = json(call("POST", "batches", body, Duration.ofMinutes(5)));
        @SuppressWarnings("unchecked")
        SubmittedBatch batch = new SubmittedBatch((String) answer.get("batch"), (List<String>) answer.get("sets"));
        synchronized (submitted) {
            submitted.add(batch);
        }
        return batch;
    }

    /** Sends a control signal to the server's Boss. */
    public void send(Signal signal) {
        call("POST", "signals/" + signal.name(), null, Duration.ofMinutes(1));
    }

    /**
     * The run's report now, with why each pending set waits (the final report once the run is over). A server has no
     * published reports: {@code interim} is there so that a Boss's callers compile unchanged, and either value gives
     * the report as it is now.
     */
    public Report getReport(boolean interim) {
        return Report.fromJson(call("GET", "report", null, Duration.ofMinutes(5)));
    }

    /** The batches submitted to the server, oldest first: id, submission time, size, status and counts of each. */
    public List<Map<String, Object>> batches() {
        String text = call("GET", "batches", null, Duration.ofMinutes(5));
        try {
            return Json.MAPPER.readValue(text, new TypeReference<List<Map<String, Object>>>() { });
        } catch (IOException e) {
            throw new ServerException(0, "the server's list of batches is not the JSON expected: " + e.getMessage(), e);
        }
    }

    /** The report of batch {@code id} now: interim while any of its sets has yet to end. */
    public Report batchReport(String id) {
        return Report.fromJson(call("GET", "batches/" + encode(id), null, Duration.ofMinutes(5)));
    }

    /** The report of batch {@code id} once every set of it has ended (or the run has). */
    public Report waitFor(String id) {
        while (true) {
            Report report = Report.fromJson(call("GET", "batches/" + encode(id) + "?wait=" + LONG_POLL.toSeconds(), null,
                    LONG_POLL.plusMinutes(5)));
            if (report.status() != RunStatus.INTERIM) {
                return report;
            }
        }
    }

    /** Submits sub-tasks with a worker's contact ({@link SubTasks}); {@code body} is a batch in any form the API takes. */
    SubmittedBatch submitSubTasks(Map<String, ?> body) {
        Map<String, Object> answer = json(call("POST", "subtasks", body, Duration.ofMinutes(5)));
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) answer.get("sets");
        return new SubmittedBatch((String) answer.get("batch"), names);
    }

    /** The report of the sub-batch {@code id} now, or, {@code wait}ing, once every set of it has ended. */
    Report subTaskReport(String id, boolean wait) {
        while (true) {
            Report report = Report.fromJson(call("GET", "subtasks/" + encode(id) + (wait ? "?wait=" + LONG_POLL.toSeconds() : ""),
                    null, LONG_POLL.plusMinutes(5)));
            if (!wait || report.status() != RunStatus.INTERIM) {
                return report;
            }
        }
    }

    /** Waits until every batch this client submitted has ended, and returns their report, as one. */
    public Report waitTillFinished() {
        List<SubmittedBatch> batches;
        synchronized (submitted) {
            batches = List.copyOf(submitted);
        }
        List<Report> reports = batches.stream().map(batch -> waitFor(batch.id())).toList();
        return merged(reports);
    }

    /** Cancels the pending set or running worker called {@code name}; false when nothing of that name is there. */
    public boolean cancel(String name) {
        return byName("cancel", name);
    }

    public boolean pauseWorker(String name) {
        return byName("pause", name);
    }

    public boolean continueWorker(String name) {
        return byName("continue", name);
    }

    private boolean byName(String action, String name) {
        try {
            call("POST", action, Map.of("name", name), Duration.ofMinutes(1));
            return true;
        } catch (ServerException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** The run's live settings (max threads, memory budget, resources, halt and retry policies). */
    public Map<String, Object> settings() {
        return json(call("GET", "settings", null, Duration.ofMinutes(1)));
    }

    /**
     * Changes live settings ({@code max_threads}, {@code max_memory}, {@code resources}, {@code scheduler_options},
     * {@code halt}, {@code retries}); all or nothing. Returns the settings as they are then.
     */
    public Map<String, Object> reconfigure(Map<String, ?> changes) {
        return json(call("PATCH", "settings", changes, Duration.ofMinutes(1)));
    }

    /**
     * Reads the run's events as they come, giving each to {@code each}, until it returns false, the run ends (its
     * last event is {@code run-ended}) or the stream does.
     */
    public void events(Predicate<ServerEvent> each) {
        HttpRequest request = request("GET", "events", null, null).build();
        HttpResponse<Stream<String>> response = send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() >= 300) {
            try (Stream<String> lines = response.body()) {
                check(response.statusCode(), () -> String.join("\n", lines.toList()));
            }
        }
        try (Stream<String> lines = response.body()) {
            readEvents(lines.iterator(), each);
        } catch (UncheckedIOException e) {
            throw new ServerException(0, "the event stream of the server at " + address.url() + " broke off: " + e.getCause(), e);
        }
    }

    private static void readEvents(Iterator<String> lines, Predicate<ServerEvent> each) {
        String type = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("event: ")) {
                type = line.substring(7);
            } else if (line.startsWith("data: ") && type != null) {
                if (!each.test(new ServerEvent(type, json(line.substring(6))))) {
                    return;
                }
                type = null;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------

    private String call(String method, String path, Object body, Duration timeout) {
        HttpResponse<String> response = send(request(method, path, body, timeout).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        check(response.statusCode(), response::body);
        return response.body();
    }

    private HttpRequest.Builder request(String method, String path, Object body, Duration timeout) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the request as JSON: " + e.getMessage(), e);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(address.url().resolve("/api/v1/" + path))
                .header("Authorization", "Bearer " + address.token())
                .header("Content-Type", "application/json")
                .method(method, publisher);
        return timeout == null ? builder : builder.timeout(timeout);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (ConnectException e) {
            throw new ServerException(0, "no taylorism server answers at " + address.url() + " (" + e + ")", e);
        } catch (IOException e) {
            throw new ServerException(0, "the server at " + address.url() + " could not be asked: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException(0, "interrupted while waiting for the server at " + address.url(), e);
        }
    }

    private void check(int status, java.util.function.Supplier<String> body) {
        if (status < 300) {
            return;
        }
        String text = body.get();
        String message = text;
        try {
            Object error = Json.MAPPER.readValue(text, Map.class).get("error");
            message = error != null ? String.valueOf(error) : text;
        } catch (IOException | RuntimeException notJson) {
            // the body as it came
        }
        throw new ServerException(status, status == 401 ? "the server at " + address.url() + " refused the token (401)"
                : "the server at " + address.url() + " refused the request (" + status + "): " + message);
    }

    private static Map<String, Object> json(String text) {
        try {
            return Json.MAPPER.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            throw new ServerException(0, "the server's answer is not the JSON object expected: " + e.getMessage(), e);
        }
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** One report of several batches' reports. */
    static Report merged(List<Report> reports) {
        List<WorkerReport> workers = new ArrayList<>();
        List<PendingTask> pending = new ArrayList<>();
        List<RunningReport> running = new ArrayList<>();
        RunStatus status = RunStatus.FINISHED;
        ErrorInfo error = null;
        String failedWorker = null;
        for (Report report : reports) {
            workers.addAll(report.workers());
            pending.addAll(report.pending());
            running.addAll(report.running());
            status = status == RunStatus.FINISHED ? report.status() : status;
            error = error != null ? error : report.error();
            failedWorker = failedWorker != null ? failedWorker : report.failedWorker();
        }
        Report first = reports.isEmpty() ? null : reports.get(0);
        return Report.of(status, workers, pending, running, error, failedWorker,
                first == null || first.runDirectory() == null ? null : Path.of(first.runDirectory()),
                first == null ? null : first.runId());
    }
}
