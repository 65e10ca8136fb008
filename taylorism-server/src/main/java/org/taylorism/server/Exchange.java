package org.taylorism.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.internal.Json;

/**
 * One request and its answer, as the API reads and writes them: a JSON body of bounded size in, JSON out, errors
 * as {@code {"error": "..."}} with their status.
 */
final class Exchange {

    /** A request that cannot be served, with the status and the words to answer it with. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refusal(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** A call served once its caller is admitted; false when it answers later, from another thread. */
    interface Call {
        boolean serve(Exchange exchange) throws IOException;
    }

    private static final Logger log = LoggerFactory.getLogger(Exchange.class);

    private final HttpExchange http;
    private final long maxBodyBytes;

    Exchange(HttpExchange http, long maxBodyBytes) {
        this.http = http;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Serves one request, whichever door it came through: a caller not {@code admitted} gets 401 and a log line naming
     * the {@code credential} it lacked, the same whatever the path; an admitted one gets {@code call}, whose refusals,
     * failures and broken connections are answered here. The exchange is closed unless the call answers later.
     */
    static void serve(HttpExchange http, long maxBodyBytes, boolean admitted, String credential, Call call) {
        Exchange exchange = new Exchange(http, maxBodyBytes);
        boolean answered = true;
        try {
            if (!admitted) {
                // The path as sent (its escapes kept): decoded, a "%0A" in it would start a line of the client's own in the log.
                log.warn("Refused {} {} from {}: no valid {}", http.getRequestMethod(), http.getRequestURI().getRawPath(),
                        http.getRemoteAddress(), credential);
                http.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                exchange.sendError(401, "unauthorized");
                return;
            }
            answered = call.serve(exchange);
        } catch (Refusal refusal) {
            exchange.reply(refusal.status, refusal.getMessage());
        } catch (IOException e) {
            log.debug("Request {} {} broke off: {}", http.getRequestMethod(), http.getRequestURI(), e.toString());
        } catch (RuntimeException e) {
            log.error("Request {} {} failed", http.getRequestMethod(), http.getRequestURI().getRawPath(), e);
            exchange.reply(500, "the server failed: " + e);
        } finally {
            if (answered) {
                http.close();
            }
        }
    }

    /** Answers with an error, if the client still listens. */
    private void reply(int status, String message) {
        try {
            sendError(status, message);
        } catch (IOException | RuntimeException e) {
            log.debug("Could not answer {}: {}", status, e.toString());
        }
    }

    HttpExchange http() {
        return http;
    }

    String method() {
        return http.getRequestMethod();
    }

    /** The query parameters, decoded; the last value wins. */
    Map<String, String> query() {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = http.getRequestURI().getRawQuery();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            query.put(key, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    /**
     * The body read as plain JSON (maps, lists, strings, numbers, booleans: no class is ever named by a client).
     *
     * @throws Refusal 413 when it is larger than allowed, 400 when it is not JSON, naming line and column
     */
    Object jsonBody() throws IOException {
        byte[] body;
        try (InputStream in = http.getRequestBody()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        }
        if (body.length > maxBodyBytes) {
            throw new Refusal(413, "the request body is larger than " + maxBodyBytes + " bytes");
        }
        if (body.length == 0) {
            throw new Refusal(400, "the request has no body; JSON was expected");
        }
        try {
            return Json.MAPPER.readValue(body, Object.class);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            throw new Refusal(400, "the request body is not JSON" + (where == null ? "" : " (line " + where.getLineNr()
                    + ", column " + where.getColumnNr() + ")") + ": " + e.getOriginalMessage());
        }
    }

    /** The body as a JSON object, or a 400 that says what it was instead. */
    @SuppressWarnings("unchecked")
    Map<String, Object> jsonObject() throws IOException {
        Object body = jsonBody();
        if (!(body instanceof Map)) {
            throw new Refusal(400, "the request body must be a JSON object");
        }
        return (Map<String, Object>) body;
    }

    void send(int status, Object json) throws IOException {
        sendText(status, json instanceof String text ? text : Json.MAPPER.writeValueAsString(json));
    }

    void sendText(int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        http.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        http.getResponseHeaders().set("Cache-Control", "no-store");
        http.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Sends {@code bytes} as they are, of {@code contentType}. */
    void sendBytes(int status, String contentType, byte[] bytes) throws IOException {
        http.getResponseHeaders().set("Content-Type", contentType);
        http.getResponseHeaders().set("Cache-Control", "no-store");
        http.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(bytes);
        }
    }

    void sendError(int status, String message) throws IOException {
        send(status, Map.of("error", message));
    }
}
