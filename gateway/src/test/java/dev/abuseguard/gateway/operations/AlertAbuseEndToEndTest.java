package dev.abuseguard.gateway.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * The block alert as an attacker would use it: a user id that pings the whole Discord channel, and a webhook
 * that accepts the connection and never answers (alerts.timeout 300 ms here, one attempt).
 */
@ExtendWith(OutputCaptureExtension.class)
class AlertAbuseEndToEndTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onTestRoutes().withWebhook()
            .with(g -> "--abuse-guard.alerts.webhook-url=http://127.0.0.1:" + g.webhook().port() + "/hook")
            .with("--abuse-guard.alerts.max-attempts=1", "--abuse-guard.alerts.timeout=300ms");

    @BeforeEach
    void reset() {
        gateway.redis().flushAll();
        gateway.webhook().resetAll();
        gateway.webhook().stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
    }

    @Test
    void aUserCalledAtEveryonePingsNobodyWhenBlocked() {
        Abusers.violateUntilBlocked(gateway.client(), "@everyone");

        Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> gateway.webhook().verify(1, postRequestedFor(urlEqualTo("/hook"))));
        String body = gateway.webhook().getAllServeEvents().get(0).getRequest().getBodyAsString();
        assertThat(body).contains("\"allowed_mentions\":{\"parse\":[]}")
                .contains("user `@\u200beveryone` is blocked")
                .doesNotContain("@everyone");
    }

    @Test
    void aWebhookThatNeverAnswersStallsNothingAndDropsOnlyItsOwnAlerts(CapturedOutput output) {
        gateway.webhook().stubFor(post(urlEqualTo("/hook")).withRequestBody(containing("hang-"))
                .willReturn(aResponse().withStatus(204).withFixedDelay(10_000)));

        long start = System.nanoTime();
        for (int i = 0; i < 6; i++) { // more than the deliveries in flight at once
            Abusers.violateUntilBlocked(gateway.client(), "hang-" + i);
        }
        long servingMillis = (System.nanoTime() - start) / 1_000_000;
        Abusers.violateUntilBlocked(gateway.client(), "after");

        Awaitility.await().atMost(Duration.ofSeconds(4))
                .untilAsserted(() -> gateway.webhook().verify(1, postRequestedFor(urlEqualTo("/hook"))
                        .withRequestBody(containing("user `after` is blocked"))));
        Awaitility.await().atMost(Duration.ofSeconds(4))
                .until(() -> output.getOut().lines().filter(l -> l.contains("event=alert_dropped user=hang-"))
                        .count() == 6);
        assertThat(output.getOut().lines().filter(l -> l.contains("event=alert_dropped user=after")).toList())
                .isEmpty();
        System.out.printf("FIGURES alerts: 36 requests served in %d ms while the webhook hung%n", servingMillis);
        assertThat(servingMillis).as("36 requests while the webhook hangs").isLessThan(5_000);
    }
}
