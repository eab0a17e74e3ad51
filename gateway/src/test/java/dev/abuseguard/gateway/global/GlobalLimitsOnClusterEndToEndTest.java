package dev.abuseguard.gateway.global;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.testsupport.ManualClock;
import dev.abuseguard.testsupport.RedisCluster;
import dev.abuseguard.testsupport.RedisServer;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A global limit shared by two gateways on a Redis Cluster: its counter is one key on one master, under {g}. */
class GlobalLimitsOnClusterEndToEndTest {

    private static final ManualClock clock = new ManualClock(1_800_000_000_000L / 3_600_000 * 3_600_000 + 60_000);
    private static RedisCluster cluster;
    private static WireMockServer backend;
    private static GatewayApp first;
    private static GatewayApp second;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start();
        backend = Backends.answeringOk();
        String routes = GlobalLimitsEndToEndTest.routes(backend.port());
        first = GatewayApp.startOnCluster(routes, cluster.nodesProperty(), clock, GatewayExtension.defaults());
        second = GatewayApp.startOnCluster(routes, cluster.nodesProperty(), clock, GatewayExtension.defaults());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable part : new AutoCloseable[] {first, second}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception ignored) {
                // stopping anyway
            }
        }
        if (backend != null) {
            backend.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static int status(GatewayApp gateway, String user) {
        return gateway.webClient().get().uri("/tight/x").header("X-User-Id", user)
                .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())).block(Duration.ofSeconds(30));
    }

    @Test
    void twoInstancesOnAClusterShareTheGlobalCountOnOneSlot() {
        for (int i = 0; i < 3; i++) {
            // a first decision may outlast the time limit while Lettuce connects to the nodes: then it is local
            int user = i;
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> status(first, "c-" + user) == 200);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> status(second, "other") == 429);
        assertThat(status(first, "late")).isEqualTo(429);

        String window = "ag:{g}:w:tight:3600000:" + (clock.millis() / 3_600_000 * 3_600_000);
        RedisServer owner = cluster.ownerOf(window);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !owner.keys("ag:{g}:*").isEmpty());
        assertThat(owner.keys("ag:{g}:*")).containsExactly(window);
        for (RedisServer node : cluster.nodes()) {
            if (node != owner) {
                assertThat(node.keys("ag:{g}:*")).isEmpty();
            }
        }
        int reached = backend.findAll(anyRequestedFor(anyUrl())).size();
        assertThat(reached).isGreaterThanOrEqualTo(3);
        List<String> total = owner.run("GET", window);
        assertThat(Long.parseLong(total.get(0))).isEqualTo(reached);
    }
}
