package org.taylorism.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.taylorism.Boss;
import org.taylorism.HaltPolicy;
import org.taylorism.Report;
import org.taylorism.Scheduler;
import org.taylorism.internal.Json;
import org.taylorism.testing.Leaks;

/** The self-contained timeline file of a real run, opened from disk in a real browser. */
class TimelineFileTest {

    private static final String HOSTILE = "</script><script>window.pwned=1</script>";

    @TempDir
    Path directory;

    private WebDriver browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    @Test
    void theEmbeddedReportIsTheReportsJsonWhateverItsTextHolds() throws Exception {
        String markup = "<!-- " + HOSTILE + " -->";
        Report report;
        try (Boss boss = Boss.builder().scheduler(Scheduler.maxThreads(2)).runDirectory(directory.resolve("run")).build()) {
            boss.addInstructions(List.of(Map.of("name", markup, "command", List.of("true"))));
            boss.makeThemWork();
            report = boss.waitTillFinished();
        }
        String html = TimelineFile.html(report);
        String open = "<script type=\"application/json\" id=\"report\">";
        int start = html.indexOf(open) + open.length();
        String data = html.substring(start, html.indexOf("</script>", start));

        assertFalse(data.contains("<"), "nothing in it is read as markup");
        assertEquals(Json.MAPPER.readTree(report.toJson()), Json.MAPPER.readTree(data), "it parses as JSON, to the report");
        assertEquals(markup, Json.MAPPER.readTree(data).get("workers").get(0).get("name").asText());
    }

    @Test
    void theFileDrawsEveryAttemptAndItsDependenciesAndShowsNamesAsText() throws Exception {
        HeadlessChromium.assumeInstalled();
        Report report;
        try (Boss boss = Boss.builder().scheduler(Scheduler.maxThreads(2)).haltPolicy(HaltPolicy.KEEP_GOING)
                .runDirectory(directory.resolve("run")).build()) {
            boss.addInstructions(List.of(
                    Map.of("name", "prepare", "command", List.of("true")),
                    Map.of("name", "sim-1", "command", List.of("true"), "after", "prepare"),
                    Map.of("name", "sim-2", "command", List.of("false"), "after", "prepare"),
                    Map.of("name", HOSTILE, "command", List.of("true"), "after", List.of("sim-*"))));
            boss.makeThemWork();
            report = boss.waitTillFinished();
        } catch (org.taylorism.RunFailedException e) {
            report = e.report();
        }
        Path file = directory.resolve("run.html");
        TimelineFile.write(report, file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        browser = HeadlessChromium.start(directory);
        browser.get(file.toUri().toString());
        assertEquals(3, browser.findElements(By.cssSelector("#timeline rect")).size(), "prepare, sim-1, sim-2 ran");
        assertEquals(2, browser.findElements(By.cssSelector("#timeline line.dependency")).size(), "sim-1 and sim-2 waited for prepare");
        List<String> names = browser.findElements(By.cssSelector("#sets tbody tr td:first-child")).stream().map(cell -> cell.getText()).toList();
        assertTrue(names.contains(HOSTILE), names.toString());
        assertNull(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined ? null : window.pwned"),
                "a name cannot end the report's element and run a script");
        assertTrue(browser.findElement(By.id("title")).getText().startsWith("taylorism run"), "the file's own script ran");
    }
}
