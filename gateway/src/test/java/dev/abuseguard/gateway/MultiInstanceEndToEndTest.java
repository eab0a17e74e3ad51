package dev.abuseguard.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.testsupport.RedisMonitor;
import dev.abuseguard.testsupport.RedisServer;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/** Two gateway instances on one Redis decide as one, and each decision is one round trip to Redis. */
class MultiInstanceEndToEndTest {

    private static final RedisServer redis = RedisServer.shared();
    private static WireMockServer backend;
    private static GatewayApp first;
    private static GatewayApp second;

    @BeforeAll
    static void start() {
        backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(50));
        backend.start();
        String routes = TestRoutes.to(backend.port());
        // a generous time limit: this test is about exactness, not about failing over under load
        first = GatewayApp.start(routes, redis.port(), "--abuse-guard.store.redis.timeout=5s");
        second = GatewayApp.start(routes, redis.port(), "--abuse-guard.store.redis.timeout=5s");
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
        backend.stop();
    }

    @BeforeEach
    void reset() {
        redis.flushAll();
        backend.resetAll();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    @Test
    void hundredConcurrentRequestsOfOneUserAcrossTwoInstancesAdmitExactlyTheLimitOfFive() {
        List<WebClient> instances = List.of(first.webClient(), second.webClient());

        List<Integer> statuses = Flux.range(0, 100)
                .flatMap(i -> instances.get(i % 2).post().uri("/packs/open").header("X-User-Id", "racer")
                        .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())), 100)
                .collectList().block(Duration.ofSeconds(30));

        Map<Integer, Long> byStatus = statuses.stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(Collections.frequency(statuses, 200)).as("admitted, by status: %s", byStatus).isEqualTo(5);
        assertThat(byStatus.keySet()).as("the rest are rate limited, then blocked").containsOnly(200, 429, 403);
        assertThat(Collections.frequency(statuses, 429)).isEqualTo(5); // the fifth violation blocks
        backend.verify(5, anyRequestedFor(anyUrl()));
    }

    @Test
    void anAllowedDecisionIsExactlyOneCommandSentToRedis() throws Exception {
        WebClient gateway = first.webClient();
        gateway.get().uri("/packs/warm-up").header("X-User-Id", "warm").retrieve().toBodilessEntity().block();

        try (RedisMonitor monitor = new RedisMonitor(redis.port())) {
            for (int i = 0; i < 20; i++) {
                assertThat(gateway.get().uri("/packs/open").header("X-User-Id", "user-" + i)
                        .retrieve().toBodilessEntity().block().getStatusCode().value()).isEqualTo(200);
            }
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> monitor.scriptCommands().size() >= 60);

            assertThat(monitor.clientCommands()).hasSize(20).containsOnly("EVALSHA");
            // inside the token-bucket script: TIME, one MGET (abuse record + bucket) and one SET
            assertThat(monitor.scriptCommands()).hasSize(60).containsOnly("TIME", "MGET", "SET");
        }
    }
}
