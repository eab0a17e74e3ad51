package dev.abuseguard.gateway.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.abuseguard.gateway.testsupport.Abusers;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.TestRoutes;
import dev.abuseguard.testsupport.RedisServer;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A new block is posted to the webhook once, off the request path, retried on failure, dropped after the last try. */
@ExtendWith(OutputCaptureExtension.class)
class BlockAlertsEndToEndTest {

    private static final RedisServer redis = RedisServer.sharedEmpty();
    private static WireMockServer backend;
    private static WireMockServer webhook;
    private static GatewayApp gateway;
    private static WebTestClient client;

    @BeforeAll
    static void start() {
        backend = Backends.answeringOk();
        webhook = Backends.started();
        gateway = GatewayApp.start(TestRoutes.to(backend.port()), redis.port(), "--abuse-guard.store.redis.timeout=2s",
                "--abuse-guard.alerts.webhook-url=http://127.0.0.1:" + webhook.port() + "/hook",
                "--abuse-guard.alerts.max-attempts=3", "--abuse-guard.alerts.initial-backoff=50ms");
        client = gateway.client();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.stop();
        webhook.stop();
    }

    @BeforeEach
    void reset() {
        redis.flushAll();
        webhook.resetAll();
    }

    private void violateUntilBlocked(String user) {
        Abusers.violateUntilBlocked(client, user);
    }

    @Test
    void aNewBlockIsPostedOnceWithADiscordStyleBody() {
        webhook.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));

        violateUntilBlocked("mallory");
        for (int i = 0; i < 3; i++) {
            client.get().uri("/packs/open").header("X-User-Id", "mallory").exchange().expectStatus().isForbidden();
        }

        Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> webhook.verify(1, postRequestedFor(urlEqualTo("/hook"))
                        .withRequestBody(containing("\"content\":\"abuse-guard: user `mallory` is blocked (abuse score 100"))));
        Awaitility.await().pollDelay(Duration.ofMillis(500)).until(() -> true);
        webhook.verify(1, postRequestedFor(urlEqualTo("/hook")));
    }

    @Test
    void aFailedDeliveryIsRetried() {
        webhook.stubFor(post(urlEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("recovered"));
        webhook.stubFor(post(urlEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(204)));

        violateUntilBlocked("retried");

        Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> webhook.verify(2, postRequestedFor(urlEqualTo("/hook"))));
    }

    @Test
    void anAlertIsDroppedWithALogLineAfterTheLastTryAndNeverDelaysTheUser(CapturedOutput output) {
        webhook.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(500).withFixedDelay(300)));

        long start = System.nanoTime();
        violateUntilBlocked("dropped");
        long blockingRequestsMillis = (System.nanoTime() - start) / 1_000_000;

        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> output.getOut().contains("event=alert_dropped user=dropped attempts=3"));
        webhook.verify(3, postRequestedFor(urlEqualTo("/hook")));
        // three slow failing deliveries (3 x 300 ms plus backoff) happen after the 429 was answered
        assertThat(blockingRequestsMillis).isLessThan(900 + 2_000);
        client.get().uri("/packs/open").header("X-User-Id", "dropped").exchange().expectStatus().isForbidden();
    }
}
