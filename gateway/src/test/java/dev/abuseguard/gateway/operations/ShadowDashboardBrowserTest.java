package dev.abuseguard.gateway.operations;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;

import dev.abuseguard.gateway.testsupport.GatewayExtension;
import java.io.File;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The dashboard in headless Chromium lists the actions in shadow mode with their would-be refusals. */
class ShadowDashboardBrowserTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onRoutes(port -> """
            spring.cloud.gateway.server.webflux.routes:
              - id: preview
                uri: http://127.0.0.1:%d
                predicates: [ "Path=/preview/**" ]
                filters: [ "AbuseGuard=preview" ]
            abuse-guard:
              actions:
                preview: { limit: 1, window: 1h, strategy: token-bucket, shadow: true }
            """.formatted(port)).with("--abuse-guard.trends.flush-interval=200ms");

    @BeforeAll
    static void chromiumIsInstalled() {
        // as DashboardBrowserTest: a machine without Chromium fails the test (./test.sh installs it), never skips it
        Assertions.assertTrue(new File("/usr/bin/chromium").canExecute()
                && new File("/usr/bin/chromedriver").canExecute(), "Debian's chromium and chromium-driver are not "
                + "installed (apt-get install chromium chromium-driver)");
    }

    @Test
    void theShadowSectionCountsTheWouldBeRefusalsOfEachShadowAction() throws Exception {
        WebTestClient client = gateway.client();
        for (int i = 0; i < 3; i++) {
            client.get().uri("/preview/x").header("X-User-Id", "sam").exchange().expectStatus().isOk();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> client.get()
                .uri("/admin/api/shadow").header("Authorization", "Bearer " + ADMIN_TOKEN).exchange().expectBody()
                .jsonPath("$.actions[0].violations").isEqualTo(2));

        WebDriver browser = DashboardBrowserTest.openBrowser();
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(gateway.baseUrl() + "/admin");
            browser.findElement(By.id("token")).sendKeys(ADMIN_TOKEN);
            browser.findElement(By.id("connect")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("shadow"),
                    "preview · 2 would-be refusals · shadow"));
        } finally {
            browser.quit();
        }
    }
}
