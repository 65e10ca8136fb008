package org.taylorism.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.taylorism.client.TaylorismClient;
import org.taylorism.testing.Leaks;

/**
 * The web page in a real browser (Debian's headless Chromium, driven by Selenium through its chromedriver) against a
 * real server running real programs: the login, live counts, a failure's standard error, a hostile name shown as
 * text, and HALT from the page.
 */
class WebPageTest {

    /** A name that would run a script if the page ever wrote it as HTML. */
    private static final String HOSTILE = "<img src=x onerror=\"window.pwned=1;alert(1)\">";

    @TempDir
    Path directory;

    private Served served;
    private TaylorismServer server;
    private WebDriver browser;

    @BeforeEach
    void needsABrowser() {
        HeadlessChromium.assumeInstalled();
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (served != null) {
            served.close();
        }
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    private TaylorismClient serve() throws IOException {
        served = Served.start("web", 2, directory.resolve("run"));
        server = served.server;
        return served.client;
    }

    private WebDriver browser() throws IOException {
        browser = HeadlessChromium.start(directory);
        return browser;
    }

    private static Map<String, Object> shell(String name, String script) {
        return Map.of("name", name, "command", List.of("sh", "-c", script));
    }

    /** The table's row of the set with the hostile name, or null. */
    private WebElement hostileRow() {
        return browser.findElements(By.cssSelector("#sets tbody tr")).stream()
                .filter(candidate -> candidate.findElement(By.cssSelector("td")).getText().equals(HOSTILE)).findFirst().orElse(null);
    }

    /** The count the page shows for {@code status}, read in one step: the page redraws its counts at any moment. */
    private String count(String status) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "const count = document.querySelector(\"#counts [data-status='\" + arguments[0] + \"']\");"
                        + " return count ? count.textContent : null;", status);
    }

    @Test
    void aWrongTokenShowsTheLoginAndNoData() throws Exception {
        TaylorismClient client = serve();
        client.addInstructions(List.of(shell("secret-set", "true")));
        browser().get(server.address().url().resolve("/").toString());
        await().atMost(Duration.ofMinutes(1)).until(() -> browser.findElement(By.id("login")).isDisplayed());

        browser.findElement(By.id("token")).sendKeys("not-the-token");
        browser.findElement(By.cssSelector("#login-form button")).click();
        await().atMost(Duration.ofMinutes(1)).until(() -> !browser.findElement(By.id("login-error")).getText().isEmpty());
        assertTrue(browser.findElement(By.id("login")).isDisplayed());
        assertFalse(browser.findElement(By.id("run")).isDisplayed());
        assertFalse(browser.getPageSource().contains("secret-set"), "no data without the token");
    }

    @Test
    void thePageFollowsARunLiveShowsAFailureAsTextAndHaltsLaunches() throws Exception {
        TaylorismClient client = serve();
        Path release = directory.resolve("release");
        client.addInstructions(List.of(
                shell("quick", "true"),
                shell("waiter", "while [ ! -e " + release + " ]; do sleep 0.05; done"),
                shell(HOSTILE, "echo 'it went wrong' >&2; exit 3")));
        browser().get(server.address().url().resolve("/ui/").toString());
        browser.findElement(By.id("token")).sendKeys(server.address().token());
        browser.findElement(By.cssSelector("#login-form button")).click();

        // Live counts: the waiter ends only once this test lets it, and the page shows it without a reload.
        await().atMost(Duration.ofMinutes(1)).until(() -> "failed 1".equals(count("failed")) && "succeeded 1".equals(count("succeeded")));
        Files.createFile(release);
        await().atMost(Duration.ofMinutes(1)).until(() -> "succeeded 2".equals(count("succeeded")));
        await().atMost(Duration.ofMinutes(1)).until(() -> browser.findElements(By.cssSelector("#timeline rect")).size() == 3);

        // The hostile name is text: no image element, no script run.
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> hostileRow() != null);
        assertTrue(browser.findElements(By.cssSelector("img")).isEmpty(), "the name was not read as HTML");
        assertNull(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined ? null : window.pwned"));
        assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());

        // A click shows why it failed, and the end of its standard error.
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> {
            hostileRow().click();
            return true;
        });
        await().atMost(Duration.ofMinutes(1)).until(() -> browser.findElement(By.id("details-stderr")).getText().equals("it went wrong"));
        assertEquals(HOSTILE, browser.findElement(By.id("details-name")).getText());
        assertTrue(browser.findElement(By.id("details-fields")).getText().contains("exit_code"),
                browser.findElement(By.id("details-fields")).getText());

        // HALT from the page: what is submitted then waits.
        browser.findElement(By.id("halt")).click();
        await().atMost(Duration.ofMinutes(1)).until(() -> browser.findElement(By.id("message")).getText().equals("HALT sent"));
        client.addInstructions(List.of(shell("after-halt", "true")));
        await().atMost(Duration.ofMinutes(1)).until(() -> browser.findElement(By.cssSelector("#pending tbody")).getText()
                .contains("after-halt halted"));
        assertEquals("succeeded 2", count("succeeded"), "nothing was launched while halted");
        browser.findElement(By.id("resume")).click();
        await().atMost(Duration.ofMinutes(1)).until(() -> "succeeded 3".equals(count("succeeded")));
    }
}
