package org.taylorism.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven by Selenium through Debian's chromedriver (no driver is downloaded). Tests that
 * need it are skipped where it is not installed, unless {@code TAYLORISM_REQUIRE_BROWSER=1} (CI) makes that a failure.
 */
final class HeadlessChromium {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** Skips the test, or fails it under {@code TAYLORISM_REQUIRE_BROWSER=1}, when the browser is missing. */
    static void assumeInstalled() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "1".equals(System.getenv("TAYLORISM_REQUIRE_BROWSER"))) {
            throw new AssertionError("TAYLORISM_REQUIRE_BROWSER=1 but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing"
                    + " (Debian packages chromium and chromium-driver)");
        }
        Assumptions.assumeTrue(present, "Debian's chromium and chromium-driver are not installed");
    }

    /** A new browser whose profile and driver log are in {@code directory}; the caller quits it. */
    static WebDriver start(Path directory) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // No connection leaves this machine: Chromium's own background traffic is turned off.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--user-data-dir=" + Files.createDirectories(directory.resolve("chromium")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(directory.resolve("chromedriver.log").toFile()).build();
        WebDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return browser;
    }
}
