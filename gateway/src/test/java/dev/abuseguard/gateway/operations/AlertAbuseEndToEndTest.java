package dev.abuseguard.gateway.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
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

/**
 * The block alert as an attacker would use it: a user id that pings the whole Discord channel, and a webhook
 * that accepts the connection and never answers (alerts.timeout 300 ms here, one attempt).
 */
@ExtendWith(OutputCaptureExtension.class)
class AlertAbuseEndToEndTest {

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
                "--abuse-guard.alerts.max-attempts=1", "--abuse-guard.alerts.timeout=300ms");
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
        webhook.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
    }

    @Test
    void aUserCalledAtEveryonePingsNobodyWhenBlocked() {
        Abusers.violateUntilBlocked(client, "@everyone");

        Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> webhook.verify(1, postRequestedFor(urlEqualTo("/hook"))));
        String body = webhook.getAllServeEvents().get(0).getRequest().getBodyAsString();
        assertThat(body).contains("\"allowed_mentions\":{\"parse\":[]}")
                .contains("user `@\u200beveryone` is blocked")
                .doesNotContain("@everyone");
    }

    @Test
    void aWebhookThatNeverAnswersStallsNothingAndDropsOnlyItsOwnAlerts(CapturedOutput output) {
        webhook.stubFor(post(urlEqualTo("/hook")).withRequestBody(containing("hang-"))
                .willReturn(aResponse().withStatus(204).withFixedDelay(10_000)));

        long start = System.nanoTime();
        for (int i = 0; i < 6; i++) { // more than the deliveries in flight at once
            Abusers.violateUntilBlocked(client, "hang-" + i);
        }
        long servingMillis = (System.nanoTime() - start) / 1_000_000;
        Abusers.violateUntilBlocked(client, "after");

        Awaitility.await().atMost(Duration.ofSeconds(4))
                .untilAsserted(() -> webhook.verify(1, postRequestedFor(urlEqualTo("/hook"))
                        .withRequestBody(containing("user `after` is blocked"))));
        Awaitility.await().atMost(Duration.ofSeconds(4))
                .until(() -> output.getOut().lines().filter(l -> l.contains("event=alert_dropped user=hang-")).count() == 6);
        assertThat(output.getOut().lines().filter(l -> l.contains("event=alert_dropped user=after")).toList()).isEmpty();
        System.out.printf("FIGURES alerts: 36 requests served in %d ms while the webhook hung%n", servingMillis);
        assertThat(servingMillis).as("36 requests while the webhook hangs").isLessThan(5_000);
    }
}
