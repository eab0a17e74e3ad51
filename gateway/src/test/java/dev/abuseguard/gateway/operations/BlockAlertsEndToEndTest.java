package dev.abuseguard.gateway.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.abuseguard.gateway.testsupport.Abusers;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A new block is posted to the webhook once, off the request path, retried on failure, dropped after the last try. */
@ExtendWith(OutputCaptureExtension.class)
class BlockAlertsEndToEndTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onTestRoutes().withWebhook()
            .with(g -> "--abuse-guard.alerts.webhook-url=http://127.0.0.1:" + g.webhook().port() + "/hook")
            .with("--abuse-guard.alerts.max-attempts=3", "--abuse-guard.alerts.initial-backoff=50ms");

    @BeforeEach
    void reset() {
        gateway.redis().flushAll();
        gateway.webhook().resetAll();
    }

    private void violateUntilBlocked(String user) {
        Abusers.violateUntilBlocked(gateway.client(), user);
    }

    @Test
    void aNewBlockIsPostedOnceWithADiscordStyleBody() {
        gateway.webhook().stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));

        violateUntilBlocked("mallory");
        for (int i = 0; i < 3; i++) {
            gateway.client().get().uri("/packs/open").header("X-User-Id", "mallory").exchange().expectStatus()
                    .isForbidden();
        }

        Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> gateway.webhook().verify(1, postRequestedFor(urlEqualTo("/hook"))
                        .withRequestBody(containing("\"content\":\"abuse-guard: user `mallory` is blocked (abuse "
                                + "score 100"))));
        Awaitility.await().pollDelay(Duration.ofMillis(500)).until(() -> true);
        gateway.webhook().verify(1, postRequestedFor(urlEqualTo("/hook")));
    }

    @Test
    void aFailedDeliveryIsRetried() {
        gateway.webhook().stubFor(post(urlEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("recovered"));
        gateway.webhook().stubFor(post(urlEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(204)));

        violateUntilBlocked("retried");

        Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> gateway.webhook().verify(2, postRequestedFor(urlEqualTo("/hook"))));
    }

    @Test
    void anAlertIsDroppedWithALogLineAfterTheLastTryAndNeverDelaysTheUser(CapturedOutput output) {
        gateway.webhook().stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(500)
                .withFixedDelay(300)));

        long start = System.nanoTime();
        violateUntilBlocked("dropped");
        long blockingRequestsMillis = (System.nanoTime() - start) / 1_000_000;

        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> output.getOut().contains("event=alert_dropped user=dropped attempts=3"));
        gateway.webhook().verify(3, postRequestedFor(urlEqualTo("/hook")));
        // three slow failing deliveries (3 x 300 ms plus backoff) happen after the 429 was answered
        assertThat(blockingRequestsMillis).isLessThan(900 + 2_000);
        gateway.client().get().uri("/packs/open").header("X-User-Id", "dropped").exchange().expectStatus()
                .isForbidden();
    }
}
