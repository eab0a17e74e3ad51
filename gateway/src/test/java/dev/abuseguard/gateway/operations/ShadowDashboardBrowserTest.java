package dev.abuseguard.gateway.operations;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.testsupport.RedisServer;
import java.io.File;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The dashboard in headless Chromium lists the actions in shadow mode with their would-be refusals. */
class ShadowDashboardBrowserTest {

    private static final String TOKEN = "shadow-dashboard-token";
    private static final RedisServer redis = RedisServer.sharedEmpty();
    private static WireMockServer backend;
    private static GatewayApp gateway;

    @BeforeAll
    static void start() {
        // as DashboardBrowserTest: a machine without Chromium fails the test (.ci/run installs it), never skips it
        Assertions.assertTrue(new File("/usr/bin/chromium").canExecute()
                && new File("/usr/bin/chromedriver").canExecute(), "Debian's chromium and chromium-driver are not "
                + "installed (apt-get install chromium chromium-driver)");
        redis.flushAll();
        backend = Backends.answeringOk();
        gateway = GatewayApp.start("""
                spring.cloud.gateway.server.webflux.routes:
                  - id: preview
                    uri: http://127.0.0.1:%d
                    predicates: [ "Path=/preview/**" ]
                    filters: [ "AbuseGuard=preview" ]
                abuse-guard:
                  actions:
                    preview: { limit: 1, window: 1h, strategy: token-bucket, shadow: true }
                """.formatted(backend.port()), redis.port(), "--abuse-guard.store.redis.timeout=2s",
                "--abuse-guard.admin.token=" + TOKEN, "--abuse-guard.trends.flush-interval=200ms");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
            backend.stop();
        }
    }

    @Test
    void theShadowSectionCountsTheWouldBeRefusalsOfEachShadowAction() throws Exception {
        WebTestClient client = gateway.client();
        for (int i = 0; i < 3; i++) {
            client.get().uri("/preview/x").header("X-User-Id", "sam").exchange().expectStatus().isOk();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> client.get()
                .uri("/admin/api/shadow").header("Authorization", "Bearer " + TOKEN).exchange().expectBody()
                .jsonPath("$.actions[0].violations").isEqualTo(2));

        WebDriver browser = DashboardBrowserTest.openBrowser();
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(gateway.baseUrl() + "/admin");
            browser.findElement(By.id("token")).sendKeys(TOKEN);
            browser.findElement(By.id("connect")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("shadow"),
                    "preview · 2 would-be refusals · shadow"));
        } finally {
            browser.quit();
        }
    }
}
