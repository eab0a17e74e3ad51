package dev.abuseguard.gateway.operations;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.GatewayExtension;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromedriver, never a downloaded
 * browser): enter the token, see a blocked user, press reset, see the user cleared.
 */
class DashboardBrowserTest {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onTestRoutes()
            .with("--abuse-guard.admin.label=dashboard", "--abuse-guard.trends.flush-interval=500ms");

    @BeforeAll
    static void chromiumIsInstalled() {
        // a machine without Chromium fails the test (./test.sh installs it), never skips it
        Assertions.assertTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
                "Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
    }

    static WebDriver openBrowser() throws IOException {
        return openBrowser(900);
    }

    private static WebDriver openBrowser(int height) throws IOException {
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280," + height, "--user-data-dir="
                        + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /**
     * 30 users sending 4 over-limit requests each, as fast as the gateway answers: 120 live events. The page
     * reloads its stats and users at most once a second, not once an event.
     */
    @Test
    void aStormOfLiveEventsCostsAtMostOneReloadASecond() throws Exception {
        WebDriver browser = openBrowser();
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(gateway.baseUrl() + "/admin");
            browser.findElement(By.id("token")).sendKeys(ADMIN_TOKEN);
            browser.findElement(By.id("connect")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "connected"));
            JavascriptExecutor page = (JavascriptExecutor) browser;
            Awaitility.await().pollDelay(Duration.ofMillis(1500)).until(() -> true); // the event stream is open
            // count the reads the page asks for (not those answered: queued ones would hide)
            page.executeScript("window.reads = {stats: 0, users: 0}; const real = window.fetch;"
                    + "window.fetch = (url, options) => { const u = String(url);"
                    + " if (u.includes('/admin/api/stats')) { window.reads.stats++; }"
                    + " if (u.includes('/admin/api/users')) { window.reads.users++; }"
                    + " return real(url, options); };");
            long before = ((Number) page.executeScript("return document.querySelectorAll('#events li').length"))
                    .longValue();

            long start = System.nanoTime();
            WebClient web = gateway.webClient();
            Flux.range(0, 30).flatMap(u -> Flux.range(0, 5).concatMap(i -> web.get().uri("/tiny")
                    .header("X-User-Id", "storm-" + u).exchangeToMono(r -> r.releaseBody())), 8)
                    .blockLast(Duration.ofSeconds(60));
            wait.until(driver -> ((Number) page.executeScript("return document.querySelectorAll('#events li').length"))
                    .longValue() >= before + 120);
            double stormSeconds = (System.nanoTime() - start) / 1e9;
            Awaitility.await().pollDelay(Duration.ofMillis(1500)).until(() -> true); // the last coalesced reload
            long statsReads = ((Number) page.executeScript("return window.reads.stats")).longValue();
            long usersReads = ((Number) page.executeScript("return window.reads.users")).longValue();

            System.out.printf("FIGURES dashboard storm: 120 events in %.1f s, %d stats and %d users reads%n",
                    stormSeconds, statsReads, usersReads);
            long allowed = (long) Math.ceil(stormSeconds + 1.5) + 1; // one a second, the trailing one, the 10 s timer
            assertThat(statsReads).isBetween(1L, allowed);
            assertThat(usersReads).isBetween(1L, allowed);
        } finally {
            browser.quit();
            gateway.redis().flushAll(); // the other test counts its own users
        }
    }

    /**
     * A spike of violations driven through the gateway: 12 users over the limit of {@code tiny} (36 rate-limited
     * answers) and one over {@code pack_create} (2). The chart draws one line per action with those counts, its
     * peak above the others; the offenders and the limits in force are listed. The screenshot is docs/operations.md's.
     */
    @Test
    void theChartShowsTheSpikeOfViolationsTheTrafficCaused() throws Exception {
        WebTestClient client = gateway.client();
        for (int u = 0; u < 12; u++) {
            client.get().uri("/tiny").header("X-User-Id", "spiker-" + u).exchange().expectStatus().isOk();
            for (int i = 0; i < (u == 0 ? 4 : 3) - (u == 1 ? 1 : 0); i++) {
                client.get().uri("/tiny").header("X-User-Id", "spiker-" + u).exchange().expectStatus().isEqualTo(429);
            }
        }
        for (int i = 0; i < 7; i++) {
            client.post().uri("/packs/open").header("X-User-Id", "collector").exchange()
                    .expectStatus().isEqualTo(i < 5 ? 200 : 429);
        }

        WebDriver browser = openBrowser(1300);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            JavascriptExecutor page = (JavascriptExecutor) browser;
            browser.get(gateway.baseUrl() + "/admin");
            browser.findElement(By.id("token")).sendKeys(ADMIN_TOKEN);
            browser.findElement(By.id("connect")).click();
            // the counts reach Redis within a flush (500 ms here); the page reloads every 10 s and on live events
            wait.until(driver -> "36".equals(page.executeScript("const s = document.querySelector("
                    + "\"#chart polyline[data-action='tiny']\"); return s && String(s.dataset.values.split(',')"
                    + ".reduce((a, b) => a + Number(b), 0));")));

            String packs = (String) page.executeScript("return document.querySelector("
                    + "\"#chart polyline[data-action='pack_create']\").dataset.values;");
            assertThat(packs.split(",")).hasSize(60);
            assertThat(Arrays.stream(packs.split(",")).mapToLong(Long::parseLong).sum()).isEqualTo(2);
            // the peak of the spike is drawn higher (a smaller y) than the other action's, and labelled
            double tinyPeak = ((Number) page.executeScript("return Number(document.querySelector("
                    + "\"#chart circle[data-action='tiny']\").getAttribute('cy'));")).doubleValue();
            double packsPeak = ((Number) page.executeScript("return Number(document.querySelector("
                    + "\"#chart circle[data-action='pack_create']\").getAttribute('cy'));")).doubleValue();
            assertThat(tinyPeak).isLessThan(packsPeak);
            String label = browser.findElement(By.cssSelector("#chart text.peak[data-action='tiny']")).getText();
            assertThat(Long.parseLong(label)).isBetween(18L, 36L); // the spike may straddle a minute's end
            assertThat(browser.findElement(By.id("legend")).getText()).contains("tiny 36", "pack_create 2");

            wait.until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector("#offenders tr:first-child"), "spiker-0"));
            assertThat(browser.findElement(By.cssSelector("#offenders tr:first-child")).getText()).contains("4");
            assertThat(browser.findElements(By.cssSelector("#offenders tr"))).hasSize(10);
            WebElement tiny = browser.findElement(By.cssSelector("#limits tr[data-action='tiny']"));
            assertThat(tiny.getText()).contains("token-bucket", "1", "1h");
            assertThat(browser.findElement(By.id("limits-head")).getText()).contains("Strategy", "Limit", "Window");

            Path screenshot = Path.of("target", "dashboard-trends.png");
            Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
            gateway.redis().flushAll(); // the other tests count their own users
        }
    }

    @Test
    void anOperatorSeesABlockedUserAndResetsThem() throws Exception {
        WebTestClient client = gateway.client();
        client.get().uri("/tiny").header("X-User-Id", "mallory").exchange().expectStatus().isOk();
        for (int i = 0; i < 5; i++) {
            client.get().uri("/tiny").header("X-User-Id", "mallory").exchange().expectStatus().isEqualTo(429);
        }
        client.get().uri("/tiny").header("X-User-Id", "noisy").exchange().expectStatus().isOk();
        for (int i = 0; i < 3; i++) {
            client.get().uri("/tiny").header("X-User-Id", "noisy").exchange().expectStatus().isEqualTo(429);
        }

        WebDriver browser = openBrowser();
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
            browser.get(gateway.baseUrl() + "/admin");
            browser.findElement(By.id("token")).sendKeys(ADMIN_TOKEN);
            browser.findElement(By.id("connect")).click();

            By malloryRow = By.cssSelector("#users tr[data-user='mallory']");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(malloryRow, "BLOCKED"));
            WebElement row = browser.findElement(malloryRow);
            assertThat(row.getText()).contains("mallory", "100", "5", "tiny");
            assertThat(browser.findElement(By.id("stat-blocked")).getText()).isEqualTo("1");
            assertThat(browser.findElement(By.id("stat-users")).getText()).isEqualTo("2");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("events"), "block"));
            row.findElement(By.cssSelector("button.history")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), "score 100"));
            Path screenshot = Path.of("target", "dashboard.png");
            Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

            browser.findElement(malloryRow).findElement(By.cssSelector("button.reset")).click();

            wait.until(ExpectedConditions.invisibilityOfElementLocated(malloryRow));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("stat-blocked"), "0"));
            assertThat(browser.findElements(By.cssSelector("#users tr[data-user='noisy']"))).hasSize(1);
            assertThat(browser.manage().getCookies()).isEmpty(); // the token lives in session storage only
        } finally {
            browser.quit();
        }
        client.get().uri("/tiny").header("X-User-Id", "mallory").exchange().expectStatus().isOk();
    }
}
