package org.taylorism.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.taylorism.Report;
import org.taylorism.internal.OwnerOnly;

/**
 * One self-contained HTML file of a run, to attach to an email or a ticket: its timeline (a bar per attempt, one row
 * per slot or node, lines from the sets waited for) and the table of its sets, drawn from the report it embeds. No
 * network: the script and the styles are in the file; its Content-Security-Policy lets only that script run.
 */
public final class TimelineFile {

    private TimelineFile() {
    }

    /** The file's text for {@code report}. */
    public static String html(Report report) {
        String script = resource("flows.js") + "\n" + resource("timeline.js");
        // The report is data, never markup: with every '<' escaped (JSON's strings are the only place one can be), no
        // "</script" ends its element and no "<!--" changes how it is read, whatever a worker named itself.
        String data = report.toJson().replace("<", "\\u003c");
        String title = report.runId() == null ? "taylorism run" : "taylorism run " + report.runId();
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"
                + sha256(script) + "'\">\n<title>" + title + "</title>\n<style>\n" + resource("app.css") + "</style>\n</head>\n<body>\n"
                + "<h1 id=\"title\"></h1>\n<p id=\"counts\"></p>\n<h2>Timeline <small id=\"span\"></small></h2>\n<div id=\"timeline\"></div>\n"
                + "<h2>Sets</h2>\n<table id=\"sets\"><thead><tr><th>name</th><th>status</th><th>cause</th><th>duration</th>"
                + "<th>peak MB</th><th>attempt</th><th>error or reason</th></tr></thead><tbody></tbody></table>\n"
                + "<script type=\"application/json\" id=\"report\">" + data + "</script>\n<script>" + script + "</script>\n</body>\n</html>\n";
    }

    /** Writes the file for {@code report} to {@code file}, readable by its owner only (a report holds instructions). */
    public static void write(Report report, Path file) throws IOException {
        OwnerOnly.write(file, html(report).getBytes(StandardCharsets.UTF_8));
    }

    private static String resource(String name) {
        try (InputStream in = TimelineFile.class.getResourceAsStream("ui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no ui/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read ui/" + name + " from the jar: " + e.getMessage(), e);
        }
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
