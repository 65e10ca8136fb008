package org.taylorism.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The web page, at {@code /ui/}: four files from the jar (no CDN, no build step), served to anyone, since they hold
 * no data: the page asks for the server's token and sends it, in a header, with every API call it makes. A
 * Content-Security-Policy lets the page run only its own script (no inline script, no eval) and talk only to its
 * server.
 */
final class Page implements HttpHandler {

    static final String PATH = "/ui/";

    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Map<String, String> FILES = Map.of(
            "", "text/html; charset=utf-8",
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "flows.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    @Override
    public void handle(HttpExchange http) throws IOException {
        try (http) {
            String path = http.getRequestURI().getPath();
            String file = path.startsWith(PATH) ? path.substring(PATH.length()) : null;
            if (!http.getRequestMethod().equals("GET") && !http.getRequestMethod().equals("HEAD")) {
                reply(http, 405, "text/plain; charset=utf-8", "the page takes GET\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (file == null || !FILES.containsKey(file)) {
                reply(http, 404, "text/plain; charset=utf-8", ("no page " + path + "; the page is at " + PATH + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            String name = file.isEmpty() ? "index.html" : file;
            try (InputStream in = Page.class.getResourceAsStream("ui/" + name)) {
                if (in == null) {
                    throw new IOException("the jar has no ui/" + name);
                }
                reply(http, 200, FILES.get(file), in.readAllBytes());
            }
        }
    }

    /** Sends {@code body} with the headers every answer of the page has. */
    static void reply(HttpExchange http, int status, String type, byte[] body) throws IOException {
        http.getResponseHeaders().set("Content-Type", type);
        http.getResponseHeaders().set("Content-Security-Policy", POLICY);
        http.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        http.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        http.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = http.getRequestMethod().equals("HEAD");
        http.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = http.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
