package dev.abuseguard.gateway.redis;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.Abusers;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.testsupport.RedisMonitor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/** Two gateway instances on one Redis decide as one, and each decision is one round trip to Redis. */
class MultiInstanceEndToEndTest {

    @RegisterExtension
    static final GatewayExtension gateways = GatewayExtension.onTestRoutes().instances(2).stubbedBackend()
            // a generous time limit: this test is about exactness, not about failing over under load
            .storeTimeout("5s")
            // the trend counts are added every 5 s by default: one command of their own that MONITOR would show
            // among the decisions counted here (TrendsEndToEndTest counts those)
            .with("--abuse-guard.trends.flush-interval=1h");

    @BeforeEach
    void reset() {
        gateways.redis().flushAll();
        gateways.backend().resetAll();
        Backends.answerOk(gateways.backend());
    }

    /**
     * 200 requests of one user at once, alternating between the two instances: exactly the limit is
     * admitted, whatever the strategy. The leaky bucket holds its admitted requests (4 s apart), so that
     * case takes its time; its burst is decided long before the first place drains.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"exact_tb", "exact_sw", "exact_fw", "exact_lb"})
    void twoHundredConcurrentRequestsOfOneUserAcrossTwoInstancesAdmitExactlyTheLimit(String action) {
        List<WebClient> instances = List.of(gateways.first().webClient(), gateways.second().webClient());

        List<Integer> statuses = Flux.range(0, 200)
                .flatMap(i -> instances.get(i % 2).post().uri("/exact/go").header("X-User-Id", "racer-" + action)
                        .header("X-Action", action)
                        .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())), 200)
                .collectList().block(Duration.ofSeconds(60));

        Map<Integer, Long> byStatus = statuses.stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(Collections.frequency(statuses, 200)).as("admitted, by status: %s; decisions not made on Redis: %s",
                byStatus, gateways.first().bean(MeterRegistry.class)
                        .find("abuseguard.store.fallbacks").counters().stream()
                        .map(c -> c.getId().getTags() + "=" + c.count()).toList()).isEqualTo(5);
        assertThat(byStatus.keySet()).as("the rest are rate limited, then blocked").containsOnly(200, 429, 403);
        assertThat(Collections.frequency(statuses, 429)).isEqualTo(5); // the fifth violation blocks
        gateways.backend().verify(5, anyRequestedFor(anyUrl()));
    }

    @Test
    void anAllowedDecisionIsExactlyOneCommandSentToRedis() throws Exception {
        WebClient gateway = gateways.first().webClient();
        gateway.get().uri("/packs/warm-up").header("X-User-Id", "warm").retrieve().toBodilessEntity().block();

        try (RedisMonitor monitor = new RedisMonitor(gateways.redis().port())) {
            for (int i = 0; i < 20; i++) {
                assertThat(gateway.get().uri("/packs/open").header("X-User-Id", "user-" + i)
                        .retrieve().toBodilessEntity().block().getStatusCode().value()).isEqualTo(200);
            }
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> monitor.scriptCommands().size() >= 60);

            assertThat(monitor.clientCommands()).hasSize(20).containsOnly("EVALSHA");
            // inside the token-bucket script: TIME, one MGET (abuse record + bucket + overrides) and one SET
            assertThat(monitor.scriptCommands()).hasSize(60).containsOnly("TIME", "MGET", "SET");
        }
    }

    private static void blockOn(GatewayApp gateway, String user) {
        Abusers.violateUntilBlocked(gateway.client(), user);
        gateway.client().get().uri("/packs/open").header("X-User-Id", user).exchange().expectStatus().isForbidden();
    }

    @Test
    void aBlockedUserCostsRedisNothingAndAnUnblockOnAnotherInstanceReachesTheCacheWithinASecond() throws Exception {
        blockOn(gateways.first(), "hammer");

        try (RedisMonitor monitor = new RedisMonitor(gateways.redis().port())) {
            for (int i = 0; i < 50; i++) {
                gateways.first().client().get().uri("/packs/open").header("X-User-Id", "hammer").exchange()
                        .expectStatus().isForbidden().expectHeader().valueEquals("X-Abuse-Score", "100");
            }
            gateways.first().client().get().uri("/packs/open").header("X-User-Id", "someone").exchange().expectStatus()
                    .isOk();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> monitor.clientCommands().contains("EVALSHA"));
            // the one decision script seen is the other user's; the 50 blocked requests sent nothing
            assertThat(monitor.clientCommands()).filteredOn(c -> c.startsWith("EVAL")).hasSize(1);
        }

        long start = System.nanoTime();
        gateways.second().client().delete().uri("/admin/api/users/hammer/ban").header("Authorization", "Bearer "
                + ADMIN_TOKEN)
                .exchange().expectStatus().isNoContent();
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                gateways.first().webClient().get().uri("/packs/open").header("X-User-Id", "hammer")
                        .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())).block() == 200);
        System.out.printf("FIGURES near cache: unblock on one instance reached the other after %d ms%n",
                (System.nanoTime() - start) / 1_000_000);

        blockOn(gateways.first(), "hammer2");
        gateways.first().client().get().uri("/packs/open").header("X-User-Id", "hammer2").exchange().expectStatus()
                .isForbidden();
        gateways.second().client().post().uri("/admin/api/users/hammer2/reset").header("Authorization", "Bearer "
                + ADMIN_TOKEN)
                .exchange().expectStatus().isNoContent();
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                gateways.first().webClient().get().uri("/tiny").header("X-User-Id", "hammer2")
                        .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())).block() == 200);
    }
}
