package org.taylorism.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.Boss;
import org.taylorism.Instructions;
import org.taylorism.InstructionsException;
import org.taylorism.Report;
import org.taylorism.Signal;
import org.taylorism.Task;
import org.taylorism.internal.launch.Outcomes;
import org.taylorism.spi.RunStore;

/**
 * The HTTP/JSON API, version 1, below {@code /api/v1/}: every request is first checked for the server's token
 * (a 401 and a log line, and nothing else, when it is missing or wrong), then routed. Each call is a method here;
 * the README lists them with a {@code curl} example each.
 */
final class Api implements HttpHandler {

    static final String BASE = "/api/v1/";
    private static final Logger log = LoggerFactory.getLogger(Api.class);
    /** The longest a request may wait for a batch to end; a client that wants longer asks again. */
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(5);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /**
     * The most sets a body's {@code product} grid may make. The body's size bounds what it lists, not what a grid of its
     * lists makes: three lists of a thousand values, 12 KB, would make a billion sets, and the Boss holds each.
     */
    static final int MOST_SETS_OF_A_GRID = 1_000_000;

    private final Bearer bearer;
    private final Boss boss;
    private final BatchBook batches;
    private final EventHub events;
    private final LiveSettings settings;
    private final Executor executor;
    private final Semaphore streamSlots;
    private final long maxBodyBytes;
    private final Clock clock;
    private final RunStore store;
    private final Object submitting = new Object();
    private volatile boolean closing;

    /** @param store the run store the Boss records its run in, where reports it let go of are read; null for none */
    Api(Bearer bearer, Boss boss, BatchBook batches, EventHub events, LiveSettings settings, Executor executor, int maxStreams,
        long maxBodyBytes, Clock clock, RunStore store) {
        this.bearer = bearer;
        this.boss = boss;
        this.batches = batches;
        this.events = events;
        this.settings = settings;
        this.executor = executor;
        this.streamSlots = new Semaphore(maxStreams);
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
        this.store = store;
    }

    /** Ends the event streams: the server is closing. */
    void close() {
        closing = true;
    }

    @Override
    public void handle(HttpExchange http) {
        if (http.getRequestURI().getPath().equals("/") && http.getRequestMethod().equals("GET")) {
            // A browser pointed at the server is sent to the page, which asks for the token.
            try (http) {
                http.getResponseHeaders().set("Location", Page.PATH);
                http.sendResponseHeaders(302, -1);
            } catch (IOException e) {
                log.debug("Could not send {} to the page: {}", http.getRemoteAddress(), e.toString());
            }
            return;
        }
        Exchange.serve(http, maxBodyBytes, bearer.admits(http), "token", this::route);
    }

    /** Serves the call; false when it answers later, from another thread (a wait for a batch). */
    private boolean route(Exchange exchange) throws IOException {
        String path = exchange.http().getRequestURI().getPath();
        String method = exchange.method();
        if (!path.startsWith(BASE)) {
            throw new Exchange.Refusal(404, "no call " + method + " " + path + "; the API is below " + BASE);
        }
        String route = path.substring(BASE.length()).replaceAll("/+$", "");
        String[] parts = route.isEmpty() ? new String[0] : route.split("/");
        String call = parts.length == 0 ? "" : parts[0];
        switch (call) {
            case "report" -> only(exchange, parts, 1, "GET", () -> exchange.sendText(200, boss.interimReport().toJson()));
            case "overview" -> only(exchange, parts, 1, "GET", () -> exchange.send(200, overview()));
            case "sets" -> stderrTail(exchange);
            case "batches" -> {
                if (parts.length == 1 && method.equals("POST")) {
                    submit(exchange);
                } else if (parts.length == 1) {
                    only(exchange, parts, 1, "GET", () -> exchange.send(200, listBatches()));
                } else {
                    return batchReport(exchange, parts);
                }
            }
            case "signals" -> only(exchange, parts, 2, "POST", () -> signal(exchange, parts[1]));
            case "cancel", "pause", "continue" -> only(exchange, parts, 1, "POST", () -> byName(exchange, call));
            case "settings" -> {
                if (method.equals("PATCH")) {
                    only(exchange, parts, 1, "PATCH", () -> reconfigure(exchange));
                } else {
                    only(exchange, parts, 1, "GET", () -> exchange.send(200, currentSettings()));
                }
            }
            case "events" -> only(exchange, parts, 1, "GET", () -> stream(exchange));
            default -> throw new Exchange.Refusal(404, "no call " + method + " " + path + "; see the README's server section");
        }
        return true;
    }

    private interface Call {
        void serve() throws IOException;
    }

    /** Serves {@code call} when the path has {@code length} parts and the method is {@code allowed}. */
    private static void only(Exchange exchange, String[] parts, int length, String allowed, Call call) throws IOException {
        check(exchange, parts, length, allowed);
        call.serve();
    }

    /** Refuses the request unless the path has {@code length} parts and the method is {@code allowed}. */
    private static void check(Exchange exchange, String[] parts, int length, String allowed) {
        if (parts.length != length) {
            throw new Exchange.Refusal(404, "no call " + exchange.method() + " " + BASE + String.join("/", parts));
        }
        if (!exchange.method().equals(allowed)) {
            exchange.http().getResponseHeaders().set("Allow", allowed);
            throw new Exchange.Refusal(405, BASE + String.join("/", parts) + " takes " + allowed + ", not " + exchange.method());
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Batches.

    private void submit(Exchange exchange) throws IOException {
        BatchBook.Batch batch = accept(sets(exchange.jsonBody()));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("batch", batch.id());
        answer.put("sets", batch.names());
        exchange.http().getResponseHeaders().set("Location", BASE + "batches/" + batch.id());
        exchange.send(201, answer);
    }

    /** A batch as booked, with the tasks the Boss made of its sets. */
    record Accepted(BatchBook.Batch batch, List<Task> tasks) {
    }

    /**
     * Gives {@code sets} to the Boss as a new batch, and books it.
     *
     * @throws Exchange.Refusal 409 for names already used or when the Boss takes no more, 400 for a bad set
     */
    BatchBook.Batch accept(List<Map<String, Object>> sets) {
        return accept(sets, null).batch();
    }

    /**
     * Gives {@code sets} to the Boss as a new batch, as sub-tasks of {@code parent} when it is not null, and books it.
     * A batch's plain names may not be those of another batch; a sub-batch's (named under their parent) may not be
     * those of sets yet to end.
     *
     * @throws Exchange.Refusal 409 for names already used or when the Boss takes no more, 400 for a bad set
     */
    Accepted accept(List<Map<String, Object>> sets, Task parent) {
        Accepted accepted;
        // One submission at a time: the names a batch is checked against are those of the batches before it.
        synchronized (submitting) {
            String prefix = parent == null ? "" : parent.name() + (parent.attempt() > 1 ? "#" + parent.attempt() : "") + "/";
            // A name given as a number or a boolean is the worker's as text (its name attribute's conversion): checked so too.
            List<String> names = sets.stream().map(set -> set.get("name"))
                    .filter(name -> name instanceof String || name instanceof Number || name instanceof Boolean)
                    .map(name -> prefix + name).toList();
            if (parent != null && names.stream().anyMatch(name -> name.contains("["))) {
                // A sub-batch's names are checked against those of its parent's sub-tasks yet to end: they must be known.
                throw new Exchange.Refusal(400, "a sub-task's name is plain text, without [key] (its worker can make it);"
                        + " nothing of the batch was queued");
            }
            List<String> clashes = parent == null ? batches.clashes(names) : batches.unendedClashes(names);
            if (!clashes.isEmpty()) {
                throw new Exchange.Refusal(409, "names already used in this server's run (or twice in the batch): "
                        + shortList(clashes) + "; nothing of the batch was queued");
            }
            List<Task> tasks;
            try {
                tasks = parent == null ? boss.addInstructions(sets) : boss.addSubTasks(parent, sets);
            } catch (InstructionsException e) {
                throw new Exchange.Refusal(400, e.getMessage() + "; nothing of the batch was queued");
            } catch (IllegalStateException e) {
                throw new Exchange.Refusal(409, e.getMessage());
            }
            accepted = new Accepted(batches.book(tasks, clock.instant()), tasks);
        }
        if (parent == null) {
            log.info("Batch {} submitted: {} sets", accepted.batch().id(), tasks(accepted));
        } else {
            log.info("Batch {} submitted by worker {}: {} sub-tasks", accepted.batch().id(), parent.name(), tasks(accepted));
        }
        return accepted;
    }

    private static int tasks(Accepted accepted) {
        return accepted.tasks().size();
    }

    /**
     * The sets of a submitted body: {@code {"common", "individual", "product"}}, {@code {"sets": [...]}} or a list of
     * sets.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> sets(Object body) {
        Object sets = body;
        if (body instanceof Map<?, ?> map && map.containsKey("sets")) {
            sets = map.get("sets");
        } else if (body instanceof Map<?, ?> map && (map.containsKey("common") || map.containsKey("individual")
                || map.containsKey("product"))) {
            Object common = map.containsKey("common") ? map.get("common") : Map.of();
            Object individual = map.containsKey("individual") ? map.get("individual") : Map.of();
            Object product = map.containsKey("product") ? map.get("product") : Map.of();
            if (!(common instanceof Map) || !(individual instanceof Map) || !(product instanceof Map)) {
                throw new Exchange.Refusal(400, "'common', 'individual' and 'product' must be JSON objects");
            }
            try {
                return Instructions.expand((Map<String, ?>) common, (Map<String, ?>) individual, (Map<String, ?>) product,
                        MOST_SETS_OF_A_GRID);
            } catch (IllegalArgumentException | InstructionsException e) {
                throw new Exchange.Refusal(400, e.getMessage());
            }
        }
        if (!(sets instanceof List<?> list)) {
            throw new Exchange.Refusal(400, "a batch is {\"common\": {...}, \"individual\": {...}}, {\"sets\": [...]} or a"
                    + " list of instruction sets");
        }
        List<Map<String, Object>> checked = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map)) {
                throw new Exchange.Refusal(400, "instruction set #" + (i + 1) + " is not a JSON object: " + list.get(i));
            }
            checked.add((Map<String, Object>) list.get(i));
        }
        if (checked.isEmpty()) {
            throw new Exchange.Refusal(400, "the batch has no instruction set");
        }
        return checked;
    }

    private List<Map<String, Object>> listBatches() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (BatchBook.Summary summary : batches.summaries(boss.interimReport())) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("batch", summary.batch().id());
            entry.put("submitted_at", summary.batch().submittedAt().toString());
            entry.put("sets", summary.batch().size());
            entry.put("status", summary.status().jsonName());
            entry.put("counts", summary.counts());
            list.add(entry);
        }
        return list;
    }

    /**
     * {@code GET batches/ID}: the batch's report now, or with {@code ?wait=SECONDS} once it has ended (or the wait is
     * over), answered from a server thread when it comes.
     */
    private boolean batchReport(Exchange exchange, String[] parts) throws IOException {
        check(exchange, parts, 2, "GET");
        String id = parts[1];
        BatchBook.Batch batch = batches.batch(id).orElseThrow(() -> goneOrMissing(batches, id));
        return sendReport(exchange, batch, waitOf(exchange.query().get("wait")));
    }

    /** The refusal for batch {@code id}, which {@code batches} does not have: 410 when it let go of it, else 404. */
    static Exchange.Refusal goneOrMissing(BatchBook batches, String id) {
        return batches.gone(id) ? new Exchange.Refusal(410, "batch '" + id + "' ended and was let go of: the server keeps the"
                + " counts of the last " + batches.keptForgottenBatches() + " ended batches whose sets it no longer lists")
                : new Exchange.Refusal(404, "no batch '" + id + "'");
    }

    /**
     * Sends {@code batch}'s report now, or once it has ended or {@code wait} is over; false when it answers later,
     * from a server thread.
     */
    boolean sendReport(Exchange exchange, BatchBook.Batch batch, Duration wait) throws IOException {
        return sendReport(exchange, batch, wait, () -> { });
    }

    /** {@link #sendReport(Exchange, BatchBook.Batch, Duration)}, running {@code waitEnded} once the wait is over. */
    boolean sendReport(Exchange exchange, BatchBook.Batch batch, Duration wait, Runnable waitEnded) throws IOException {
        if (wait.isZero() || batch.done().isDone()) {
            waitEnded.run();
            exchange.sendText(200, reportOf(batch).toJson());
            return true;
        }
        batch.done().copy().completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((done, error) -> {
                    try {
                        waitEnded.run();
                        exchange.sendText(200, reportOf(batch).toJson());
                    } catch (IOException | RuntimeException e) {
                        log.debug("Could not answer the wait for batch {}: {}", batch.id(), e.toString());
                    } finally {
                        exchange.http().close();
                    }
                }, executor);
        return false;
    }

    /** The report of {@code batch} now, with what the Boss let go of read from the run store. */
    private Report reportOf(BatchBook.Batch batch) {
        Report whole = boss.interimReport();
        return batches.reportOf(batch, whole, historyOf(whole));
    }

    private BatchBook.History historyOf(Report whole) {
        return store == null || whole.runId() == null ? BatchBook.History.NONE : names -> store.endedReports(whole.runId(), names);
    }

    static Duration waitOf(String seconds) {
        if (seconds == null) {
            return Duration.ZERO;
        }
        try {
            double value = Double.parseDouble(seconds);
            if (value < 0 || Double.isNaN(value)) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis((long) Math.min(value * 1000, LONGEST_WAIT.toMillis()));
        } catch (NumberFormatException e) {
            throw new Exchange.Refusal(400, "wait must be a number of seconds, 0 or more, not '" + seconds + "'");
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Control.

    private void signal(Exchange exchange, String name) throws IOException {
        Signal signal = Arrays.stream(Signal.values()).filter(candidate -> candidate.name().equals(name.toUpperCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new Exchange.Refusal(404, "'" + name + "' is not a signal; they are "
                        + Arrays.toString(Signal.values())));
        try {
            boss.send(signal);
        } catch (IllegalStateException e) {
            throw new Exchange.Refusal(409, e.getMessage());
        }
        log.info("Signal {} sent by a client", signal);
        exchange.send(202, Map.of("signal", signal.name()));
    }

    private void byName(Exchange exchange, String action) throws IOException {
        Object name = exchange.jsonObject().get("name");
        if (!(name instanceof String worker) || worker.isEmpty()) {
            throw new Exchange.Refusal(400, action + " needs {\"name\": \"NAME\"}");
        }
        boolean done = switch (action) {
            case "cancel" -> boss.cancel(worker);
            case "pause" -> boss.pauseWorker(worker);
            default -> boss.continueWorker(worker);
        };
        if (!done) {
            throw new Exchange.Refusal(404, "nothing called '" + worker + "' is " + (action.equals("cancel") ? "pending or running"
                    : action.equals("pause") ? "running" : "paused"));
        }
        log.info("{} {} by a client", action, worker);
        exchange.send(200, Map.of("name", worker, "action", action));
    }

    Map<String, Object> currentSettings() {
        synchronized (settings) {
            return settings.current();
        }
    }

    private void reconfigure(Exchange exchange) throws IOException {
        Map<String, Object> changes = exchange.jsonObject();
        Map<String, Object> now;
        try {
            now = reconfigure(changes);
        } catch (IllegalArgumentException e) {
            throw new Exchange.Refusal(400, e.getMessage() + "; nothing was changed");
        } catch (IllegalStateException e) {
            throw new Exchange.Refusal(409, e.getMessage());
        }
        log.info("Settings changed by a client: {}", changes);
        exchange.send(200, now);
    }

    /**
     * Changes the live settings (a client's request, or the configuration file), all or nothing, and returns them as
     * they are then.
     *
     * @throws IllegalArgumentException naming the bad setting; nothing changed
     * @throws IllegalStateException when the Boss has terminated
     */
    Map<String, Object> reconfigure(Map<String, ?> changes) {
        synchronized (settings) {
            boss.reconfigure(settings.change(changes));
            return settings.current();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // What the web page polls.

    /** The most pending sets {@code GET overview} lists. */
    static final int PENDING_LISTED = 200;

    /**
     * {@code GET overview}: the run's status, counts, running workers, settings, and its first pending sets with why
     * they wait; not the ended ones (a page polls this every few seconds, and a run may have ended thousands).
     */
    private Map<String, Object> overview() {
        Report report = boss.interimReport();
        Map<String, Object> overview = new LinkedHashMap<>();
        overview.put("runId", report.runId());
        overview.put("status", report.status().jsonName());
        overview.put("counts", report.counts());
        overview.put("running", report.running());
        overview.put("pending", report.pending().subList(0, Math.min(PENDING_LISTED, report.pending().size())));
        overview.put("pendingTotal", report.pending().size());
        overview.put("settings", currentSettings());
        return overview;
    }

    /**
     * {@code GET sets/NAME/stderr}: the end of the standard error of the set's last attempt. Only a regular file is
     * opened (a worker may have put a FIFO or a link in its place), and only the file its own report names.
     */
    private void stderrTail(Exchange exchange) throws IOException {
        // The raw path: a name may hold a slash (a sub-task's, p/c), sent as %2F.
        String raw = exchange.http().getRequestURI().getRawPath().substring(BASE.length());
        if (!raw.startsWith("sets/") || !raw.endsWith("/stderr") || raw.length() <= "sets//stderr".length()) {
            throw new Exchange.Refusal(404, "no call " + exchange.method() + " " + BASE + raw + "; a set has GET sets/NAME/stderr");
        }
        check(exchange, new String[] {"sets"}, 1, "GET");
        String name = java.net.URLDecoder.decode(raw.substring("sets/".length(), raw.length() - "/stderr".length())
                .replace("+", "%2B"), StandardCharsets.UTF_8);
        org.taylorism.WorkerReport worker = boss.interimReport().worker(name)
                .orElseThrow(() -> new Exchange.Refusal(404, "no set called '" + name + "' has ended (or the Boss let go of its report)"));
        if (worker.stderr() == null) {
            throw new Exchange.Refusal(404, "set '" + name + "' never ran: it has no standard error");
        }
        java.nio.file.Path file = java.nio.file.Path.of(worker.stderr());
        java.nio.file.attribute.BasicFileAttributes attributes;
        try {
            attributes = java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new Exchange.Refusal(404, "the standard error of '" + name + "' is gone: " + file);
        }
        if (!attributes.isRegularFile()) {
            throw new Exchange.Refusal(409, "the standard error of '" + name + "' is not a regular file any more: " + file);
        }
        exchange.send(200, Map.of("name", name, "file", file.toString(), "tail", Outcomes.stderrTail(file)));
    }

    // ------------------------------------------------------------------------------------------------
    // Events.

    /** {@code GET events}: Server-Sent Events until the run ends, the client goes, or it falls too far behind. */
    private void stream(Exchange exchange) throws IOException {
        if (!streamSlots.tryAcquire()) {
            throw new Exchange.Refusal(503, "too many event streams are open; try again later");
        }
        EventHub.Stream stream = events.open();
        try {
            HttpExchange http = exchange.http();
            http.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            http.getResponseHeaders().set("Cache-Control", "no-store");
            http.sendResponseHeaders(200, 0);
            OutputStream out = http.getResponseBody();
            write(out, ": taylorism events\n\n");
            while (!closing) {
                String event = stream.next(KEEP_ALIVE);
                if (stream.overrun()) {
                    write(out, "event: overrun\ndata: {\"error\": \"this stream fell too far behind and was ended\"}\n\n");
                    break;
                }
                write(out, event == null ? ": keep-alive\n\n" : event);
                if (event != null && event.startsWith("event: " + EventHub.RUN_ENDED + "\n")) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            events.close(stream);
            streamSlots.release();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    // ------------------------------------------------------------------------------------------------

    static String shortList(List<String> names) {
        return names.size() <= 10 ? String.join(", ", names) : String.join(", ", names.subList(0, 10)) + " and " + (names.size() - 10) + " more";
    }
}
