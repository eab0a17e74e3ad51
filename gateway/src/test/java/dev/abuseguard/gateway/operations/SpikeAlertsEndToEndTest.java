package dev.abuseguard.gateway.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.spike.SpikeWatch;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/**
 * A burst on an action that was quiet is posted to the webhook once per episode, by one of the two instances that
 * both see it, with the rates; after it ends and the claim lapses, the next burst is a new episode. Short settings
 * (intervals of 500 ms, a 3 s baseline) make the episodes quick.
 */
class SpikeAlertsEndToEndTest {

    @RegisterExtension
    static final GatewayExtension gateways = GatewayExtension.onTestRoutes().instances(2).withWebhook()
            .with(g -> "--abuse-guard.alerts.webhook-url=http://127.0.0.1:" + g.webhook().port() + "/hook")
            .with("--abuse-guard.spike.interval=500ms", "--abuse-guard.spike.baseline=3s",
                    "--abuse-guard.spike.factor=5", "--abuse-guard.spike.min-rate=20");

    @BeforeAll
    static void stubTheWebhook() {
        gateways.webhook().stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
    }

    /** Requests of many users on both instances, as fast as 16 at a time go, for {@code millis}. */
    private static long burst(long millis) {
        List<WebClient> instances = List.of(gateways.first().webClient(), gateways.second().webClient());
        long end = System.nanoTime() + Duration.ofMillis(millis).toNanos();
        return Flux.range(0, Integer.MAX_VALUE).takeWhile(i -> System.nanoTime() < end)
                .flatMap(i -> instances.get(i % 2).get().uri("/steady/s").header("X-User-Id", "crowd-" + i)
                        .exchangeToMono(r -> r.releaseBody().thenReturn(1)), 16)
                .count().block(Duration.ofSeconds(60));
    }

    private static List<LoggedRequest> alerts() {
        return gateways.webhook().findAll(postRequestedFor(urlEqualTo("/hook")));
    }

    @Test
    void aBurstOnAQuietActionIsAlertedOncePerEpisodeWithTheRates() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                gateways.first().bean(SpikeWatch.class).ready("steady") && gateways.second().bean(SpikeWatch.class)
                        .ready("steady"));

        long sent = burst(1_500);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !alerts().isEmpty());
        // the episode is over once the claim has lapsed: still one alert, whichever instance sent it
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gateways.redis().keys("ag:{g}:spike:*")
                .isEmpty());
        assertThat(alerts()).hasSize(1);
        String body = alerts().get(0).getBodyAsString();
        System.out.printf("FIGURES spike: %d requests in 1.5 s on two instances; alert: %s%n", sent, body);
        assertThat(body).contains("abuse-guard: spike of action `steady`: rate ")
                .contains(" average of ").contains("/s over 3 s (factor 5.0, min-rate 20.00/s");

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                !gateways.first().bean(SpikeWatch.class).spiking("steady") && !gateways.second().bean(SpikeWatch.class)
                        .spiking("steady"));
        burst(1_500);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> alerts().size() == 2);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gateways.redis().keys("ag:{g}:spike:*")
                .isEmpty());
        assertThat(alerts()).hasSize(2);

        String events = gateways.first().client().get().uri("/admin/api/events?limit=1000").header("Authorization",
                "Bearer " + ADMIN_TOKEN)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(events.toLowerCase()).contains("\"type\":\"spike\"").contains("\"action\":\"steady\"");
    }
}
