package dev.abuseguard.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.TestRoutes;
import dev.abuseguard.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Redis that accepts connections and never answers (frozen with SIGSTOP: the kernel still completes the
 * TCP handshake) from before the gateway starts: the first request must not wait for the connection
 * attempt (connect-timeout 3 s here), only for the decision's time limit (300 ms), then fall back.
 */
class RedisConnectTimeLimitEndToEndTest {

    private static RedisServer redis;
    private static WireMockServer backend;
    private static GatewayApp gateway;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        redis.pause();
        backend = Backends.answeringOk();
        gateway = GatewayApp.start(TestRoutes.to(backend.port()), redis.port(),
                "--abuse-guard.store.redis.timeout=300ms", "--abuse-guard.store.redis.connect-timeout=3s");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.stop();
        }
        if (redis != null) {
            redis.resume();
            redis.close();
        }
    }

    @Test
    void theFirstRequestWaitsNoLongerThanTheTimeLimitWhileTheConnectionIsBeingOpened() {
        long start = System.nanoTime();
        gateway.client().get().uri("/tiny").header("X-User-Id", "first").exchange()
                .expectStatus().isOk().expectHeader().valueEquals("X-RateLimit-Remaining", "0");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("measured: first request with a frozen Redis took " + tookMillis + " ms");
        assertThat(tookMillis).as("first request, decided locally after the time limit").isLessThan(1500);
        // the attempt goes on in the background: a second request is not slower
        start = System.nanoTime();
        gateway.client().get().uri("/tiny").header("X-User-Id", "second").exchange().expectStatus().isOk();
        tookMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("measured: second request with a frozen Redis took " + tookMillis + " ms");
        assertThat(tookMillis).isLessThan(1500);
    }
}
