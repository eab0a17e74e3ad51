package dev.abuseguard.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.gateway.testsupport.TestRoutes;
import dev.abuseguard.testsupport.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Redis out of memory refuses every decision script (its writes would need memory): with
 * {@code maxmemory-policy noeviction} the gateway goes on deciding from memory, counts each such decision as a
 * fallback, and never fails a request; with {@code volatile-lru}, the documented policy, Redis makes room by
 * evicting the keys least recently used (every key of the gateway's has a TTL) and keeps deciding. Not
 * {@code volatile-ttl}: it evicts the keys nearest their end first, which are the live users' short windows.
 */
class RedisOutOfMemoryEndToEndTest {

    private static WireMockServer backend;

    @BeforeAll
    static void start() {
        backend = Backends.answeringOk();
    }

    @AfterAll
    static void stop() {
        backend.stop();
    }

    private static double fallbacks(GatewayApp gateway) {
        return gateway.bean(MeterRegistry.class).find("abuseguard.store.fallbacks").counters().stream()
                .mapToDouble(counter -> counter.count()).sum();
    }

    /** Fills the server's memory past its limit with keys that have a long TTL, as other data would. */
    private static void fill(RedisServer redis) {
        redis.run("EVAL", "for i = 1, 40000 do redis.call('SET', 'filler:' .. i, string.rep('x', 200), 'PX', "
                + "86400000) end", "0");
        redis.run("CONFIG", "SET", "maxmemory", "4mb");
    }

    private static List<Integer> requests(GatewayApp gateway, int count) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            statuses.add(gateway.webClient().get().uri("/steady/x").header("X-User-Id", "oom-" + i)
                    .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())).block());
        }
        return statuses;
    }

    @Test
    void withNoEvictionEveryRequestIsStillDecidedFromMemoryAndCounted() {
        try (RedisServer redis = RedisServer.startOn(RedisServer.freePort(),
                     List.of("--maxmemory-policy", "noeviction"));
             GatewayApp gateway = GatewayApp.start(TestRoutes.to(backend.port()), redis.port(),
                     GatewayExtension.defaults())) {
            requests(gateway, 5); // on Redis, before it fills
            double before = fallbacks(gateway);
            fill(redis);
            assertThatThrownBy(() -> redis.run("SET", "probe", "x")).hasStackTraceContaining("OOM");

            assertThat(requests(gateway, 50)).as("statuses while Redis is out of memory").containsOnly(200);
            double fellBack = fallbacks(gateway) - before;
            System.out.printf("FIGURES Redis out of memory (noeviction): 50 of 50 requests answered 200, %.0f decided "
                    + "from memory and counted as fallbacks%n", fellBack);
            assertThat(fellBack).isPositive();
        }
    }

    @Test
    void withVolatileLruRedisMakesRoomAndKeepsDeciding() {
        try (RedisServer redis = RedisServer.startOn(RedisServer.freePort(),
                     List.of("--maxmemory-policy", "volatile-lru"));
             GatewayApp gateway = GatewayApp.start(TestRoutes.to(backend.port()), redis.port(),
                     GatewayExtension.defaults())) {
            requests(gateway, 5);
            double before = fallbacks(gateway);
            fill(redis);

            assertThat(requests(gateway, 50)).containsOnly(200);
            assertThat(fallbacks(gateway) - before).as("decisions made from memory").isZero();
            assertThat(String.join("\n", redis.run("INFO", "stats"))).as("Redis made room")
                    .containsPattern("evicted_keys:[1-9]");
        }
    }
}
