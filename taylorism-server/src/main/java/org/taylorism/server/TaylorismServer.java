package org.taylorism.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.Boss;
import org.taylorism.BossListener;
import org.taylorism.PendingTask;
import org.taylorism.Reconfiguration;
import org.taylorism.Report;
import org.taylorism.RunningWorker;
import org.taylorism.WorkerReport;
import org.taylorism.client.ServerAddress;
import org.taylorism.client.ServerException;
import org.taylorism.client.SubmittedBatch;
import org.taylorism.spi.RunStore;
import org.taylorism.spi.SubTaskChannel;

/**
 * A Boss served over HTTP: other processes submit batches to it, watch it and steer it (see {@link Api} and the
 * README). Made in two steps, because the Boss must be built with the server's listener:
 *
 * <pre>{@code
 * TaylorismServer server = TaylorismServer.create(ServerOptions.local("default"));
 * Boss boss = Boss.builder().listener(server.listener()).build();
 * server.start(boss, settings);   // listening; its address file written
 * boss.waitTillFinished();        // until a client sends END or STOP
 * server.close();
 * }</pre>
 *
 * <p>Threads: the JDK's HTTP server's dispatcher, and a fixed pool of named request threads
 * ({@code taylorism-http-N}), both ended by {@link #close()}. A request never runs on the Boss thread, and the Boss
 * thread never waits for a request: it only queues events.
 */
public final class TaylorismServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaylorismServer.class);
    private static final AtomicInteger SERVERS = new AtomicInteger();

    private final ServerOptions options;
    private final Bearer bearer = Bearer.random();
    private final BatchBook batches;
    private final EventHub events;
    private final Metrics metrics;
    private final WorkerTokens workerTokens = new WorkerTokens();
    /** The server's certificate in PEM form when it speaks TLS, for its workers to trust. */
    private String certificate;
    private HttpServer http;
    private ExecutorService requests;
    private Api api;
    private ServerAddress address;
    private Path addressFile;
    private ConfigFile configFile;

    private TaylorismServer(ServerOptions options, BatchBook batches) {
        this.options = options;
        this.batches = batches;
        this.events = new EventHub(batches);
        this.metrics = new Metrics(this::slots, batches::setsBooked);
    }

    public static TaylorismServer create(ServerOptions options) {
        return create(options, new BatchBook());
    }

    /** A server whose book of batches is {@code batches}: tests give one of small bounds. */
    static TaylorismServer create(ServerOptions options, BatchBook batches) {
        return new TaylorismServer(Objects.requireNonNull(options, "options"), batches);
    }

    /** The listener to build the Boss with: it tells the server (its event stream, its metrics) what happens in the run. */
    public BossListener listener() {
        return new Told(List.of(events, metrics));
    }

    /** Where the run store tells how long its writes take ({@code JdbcRunStore#observeWrites}), for the metrics. */
    public Consumer<Duration> storeWriteObserver() {
        return metrics::storeWrote;
    }

    /** The slots the live settings give now, for the metrics; 0 before the server starts. */
    private int slots() {
        Api served;
        synchronized (this) {
            served = api;
        }
        Object threads = served == null ? null : served.currentSettings().get("max_threads");
        return threads instanceof Number number ? number.intValue() : 0;
    }

    /** Tells each of the server's listeners, in turn, of each event. */
    private record Told(List<BossListener> listeners) implements BossListener {
        private void tell(Consumer<BossListener> event) {
            listeners.forEach(event);
        }

        @Override
        public void started(RunningWorker worker) {
            tell(listener -> listener.started(worker));
        }

        @Override
        public void succeeded(WorkerReport report) {
            tell(listener -> listener.succeeded(report));
        }

        @Override
        public void failed(WorkerReport report) {
            tell(listener -> listener.failed(report));
        }

        @Override
        public void stopped(WorkerReport report) {
            tell(listener -> listener.stopped(report));
        }

        @Override
        public void retrying(WorkerReport failedAttempt, Duration backoff) {
            tell(listener -> listener.retrying(failedAttempt, backoff));
        }

        @Override
        public void cancelled(PendingTask task) {
            tell(listener -> listener.cancelled(task));
        }

        @Override
        public void reconfigured(Reconfiguration change) {
            tell(listener -> listener.reconfigured(change));
        }

        @Override
        public void reportPublished(Report report) {
            tell(listener -> listener.reportPublished(report));
        }

        @Override
        public void runEnded(Report report) {
            tell(listener -> listener.runEnded(report));
        }
    }

    /**
     * The channel to build the Boss with ({@code Boss.Builder#subTaskChannel}) for its Java workers to submit
     * sub-tasks to this server and wait for them ({@code org.taylorism.client.SubTasks}); each attempt gets a token
     * of its own. Workers launched before {@link #start} get none.
     */
    public SubTaskChannel subTaskChannel() {
        return workerTokens;
    }

    /**
     * Listens, serving {@code boss} with {@code settings} as what clients may change, and writes the server's address
     * file (owner-only) for local clients.
     *
     * @throws IOException when the address cannot be listened on, the key store read, or the address file written
     */
    public void start(Boss boss, LiveSettings settings) throws IOException {
        start(boss, settings, null);
    }

    /**
     * {@link #start(Boss, LiveSettings)}, answering with the reports the Boss let go of ({@code Boss.Builder#retainEnded})
     * from {@code store}, where the Boss records its run (null for none: those are counted, not listed).
     */
    public synchronized void start(Boss boss, LiveSettings settings, RunStore store) throws IOException {
        if (http != null) {
            throw new IllegalStateException("the server is started already");
        }
        int number = SERVERS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        requests = new ThreadPoolExecutor(options.threads(), options.threads(), 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                task -> new Thread(task, "taylorism-http-" + number + "-" + threads.incrementAndGet()));
        try {
            http = options.tlsKeystore() == null ? HttpServer.create(options.listen(), 64) : httpsServer();
            api = new Api(bearer, boss, batches, events, settings, requests, options.maxEventStreams(), options.maxBodyBytes(),
                    Clock.systemUTC(), store);
            http.createContext("/", api);
            http.createContext(SubTaskDesk.PATH, new SubTaskDesk(workerTokens, api, boss, batches, options.maxBodyBytes()));
            http.createContext("/metrics", this::scrape);
            http.createContext(Page.PATH, new Page());
            http.setExecutor(requests);
            http.start();
            InetSocketAddress bound = http.getAddress();
            String host = bound.getAddress().getHostAddress();
            URI url = URI.create((options.tlsKeystore() == null ? "http" : "https") + "://"
                    + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort());
            address = new ServerAddress(url, bearer.token(), ProcessHandle.current().pid());
            // Workers run on this machine: they reach a server listening on every address through the loopback one.
            workerTokens.serveAt(bound.getAddress().isAnyLocalAddress()
                    ? URI.create(url.getScheme() + "://127.0.0.1:" + bound.getPort()) : url, certificate);
            checkNoOtherServer(ServerAddress.file(options.name()));
            addressFile = ServerAddress.file(options.name());
            address.writeTo(addressFile);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        log.info("Serving on {} (server '{}'; its address and token: {})", address.url(), options.name(), addressFile);
    }

    /** {@code GET /metrics}, with the server's token: every metric in Prometheus' text format. */
    private void scrape(HttpExchange request) {
        Exchange.serve(request, options.maxBodyBytes(), bearer.admits(request), "token", exchange -> {
            if (!exchange.method().equals("GET") || !request.getRequestURI().getPath().equals("/metrics")) {
                throw new Exchange.Refusal(404, "no call " + exchange.method() + " " + request.getRequestURI().getPath()
                        + "; metrics are at GET /metrics");
            }
            java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
            metrics.write(text);
            exchange.sendBytes(200, metrics.contentType(), text.toByteArray());
            return true;
        });
    }

    /** Refuses to take the name of a server that still runs; the address file of one that died is replaced. */
    private void checkNoOtherServer(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            ServerAddress other = ServerAddress.local(options.name());
            throw new IllegalStateException("a server called '" + options.name() + "' runs already (process " + other.pid()
                    + ", " + other.url() + "); stop it, or give this one another name");
        } catch (ServerException gone) {
            log.info("Replacing the address file of server '{}', whose process is gone: {}", options.name(), file);
        }
    }

    private HttpsServer httpsServer() throws IOException {
        HttpsServer https = HttpsServer.create(options.listen(), 64);
        try (InputStream in = Files.newInputStream(options.tlsKeystore())) {
            KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
            keys.load(in, options.tlsPassword());
            certificate = certificateOf(keys);
            KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            managers.init(keys, options.tlsPassword());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(managers.getKeyManagers(), null, null);
            https.setHttpsConfigurator(new HttpsConfigurator(context));
            return https;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the key store " + options.tlsKeystore() + ": " + e.getMessage(), e);
        }
    }

    /** The certificate of the key store's first key, in PEM form, or null when it has none. */
    private static String certificateOf(KeyStore keys) throws GeneralSecurityException {
        for (String alias : Collections.list(keys.aliases())) {
            Certificate found = keys.isKeyEntry(alias) ? keys.getCertificate(alias) : null;
            if (found != null) {
                return "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(found.getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
            }
        }
        return null;
    }

    /**
     * Submits {@code sets} as a batch of the server's own, as a client would (a resumed server's unfinished sets).
     *
     * @throws IllegalArgumentException naming what is wrong with the sets
     * @throws IllegalStateException before {@link #start}, or when the Boss takes no more instructions
     */
    public synchronized SubmittedBatch submit(List<Map<String, Object>> sets) {
        if (api == null) {
            throw new IllegalStateException("the server is not started");
        }
        try {
            BatchBook.Batch batch = api.accept(sets);
            return new SubmittedBatch(batch.id(), batch.names());
        } catch (Exchange.Refusal refusal) {
            if (refusal.status == 400) {
                throw new IllegalArgumentException(refusal.getMessage(), refusal);
            }
            throw new IllegalStateException(refusal.getMessage(), refusal);
        }
    }

    /**
     * Reads the live settings from {@code file} (TOML: {@code max_threads = 8}...) now and whenever it changes: an
     * edit is applied at once, a bad edit is logged naming the file and line (and sent as a {@code config-rejected}
     * event) and changes nothing.
     *
     * @throws IllegalArgumentException when the file as it is now is bad, naming the file and line
     * @throws IllegalStateException before {@link #start}
     */
    public synchronized void watchSettings(Path file) throws IOException {
        if (api == null) {
            throw new IllegalStateException("the server is not started");
        }
        Api served = api;
        ConfigFile watched = new ConfigFile(file, served::reconfigure, events::configRejected, SERVERS.get());
        if (configFile != null) {
            configFile.close();
        }
        configFile = watched;
    }

    /** Where it listens and its token; null before {@link #start}. */
    public synchronized ServerAddress address() {
        return address;
    }

    /** How many event streams are open now. */
    int openEventStreams() {
        return events.openStreams();
    }

    /** Where its address file is; null before {@link #start}. */
    public synchronized Path addressFile() {
        return addressFile;
    }

    /**
     * Stops listening (requests being answered get a second), ends the event streams, and removes the address file.
     * The Boss is the caller's to close.
     */
    @Override
    public synchronized void close() {
        if (configFile != null) {
            configFile.close();
        }
        if (api != null) {
            api.close();
        }
        if (http != null) {
            http.stop(1);
        }
        if (requests != null) {
            requests.shutdown();
            try {
                if (!requests.awaitTermination(20, TimeUnit.SECONDS)) {
                    requests.shutdownNow();
                }
            } catch (InterruptedException e) {
                requests.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        if (addressFile != null) {
            try {
                Files.deleteIfExists(addressFile);
            } catch (IOException e) {
                log.warn("Could not remove the server's address file {}: {}", addressFile, e.toString());
            }
        }
    }
}
