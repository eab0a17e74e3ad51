package dev.abuseguard.gateway.redis;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.abuseguard.gateway.testsupport.Abusers;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * An attacker waits for Redis to go away, hoping to be served again: a user blocked or banned anywhere is
 * refused by every instance for as long as the outage lasts, even one started after the block that never saw
 * the user; a block decided locally during the outage reaches Redis and the other instances when it returns;
 * an unban after recovery reaches every instance within a second.
 */
class BlocksThroughAnOutageEndToEndTest {

    private static final Duration OUTAGE = Duration.ofSeconds(4);

    /** A short safety interval, so that a copy of the blocks that merely expired would show within the outage. */
    @RegisterExtension
    static final GatewayExtension gateways = GatewayExtension.onTestRoutes().ownRedis().instances(2)
            .storeTimeout("200ms")
            .with("--abuse-guard.store.redis.wait-in-open-state=500ms", "--abuse-guard.store.redis.block-cache-ttl=1s");

    /** A test that failed while Redis was frozen leaves it frozen: thawed before the gateways stop. */
    @AfterAll
    static void thaw() {
        gateways.redis().resume();
    }

    private static int status(GatewayApp gateway, String path, String user) {
        return gateway.client().get().uri(path).header("X-User-Id", user).exchange()
                .returnResult(String.class).getStatus().value();
    }

    private static void admin(GatewayApp gateway, String method, String path) {
        gateway.client().method(HttpMethod.valueOf(method)).uri("/admin/api" + path)
                .header("Authorization", "Bearer " + ADMIN_TOKEN).exchange().expectStatus().is2xxSuccessful();
    }

    @Test
    void blocksAndBansHoldOnEveryInstanceThroughAnOutageAndTheirNewsFlowsWhenRedisIsBack() {
        Abusers.violateUntilBlocked(gateways.first().client(), "mallory");
        admin(gateways.first(), "POST", "/users/eve/ban");
        try (GatewayApp latecomer = gateways.startAnother()) {
            List<GatewayApp> all = List.of(gateways.first(), gateways.second(), latecomer);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> all.forEach(gateway -> {
                assertThat(status(gateway, "/packs/open", "mallory")).isEqualTo(403);
                assertThat(status(gateway, "/packs/open", "eve")).isEqualTo(403);
            }));

            gateways.redis().pause();
            long outageEnds = System.nanoTime() + OUTAGE.toNanos();
            int refused = 0;
            while (System.nanoTime() < outageEnds) {
                for (GatewayApp gateway : all) {
                    assertThat(status(gateway, "/packs/open", "mallory")).as("mallory during the outage")
                            .isEqualTo(403);
                    assertThat(status(gateway, "/packs/open", "eve")).as("eve during the outage").isEqualTo(403);
                    refused += 2;
                }
            }
            assertThat(status(latecomer, "/packs/open", "innocent")).as("decided locally").isEqualTo(200);
            WebTestClient firstClient = gateways.first().client();
            Abusers.violateUntilBlocked(firstClient, "trudy"); // blocked by the first instance's memory alone
            assertThat(status(gateways.second(), "/packs/open", "trudy")).isEqualTo(200);

            gateways.redis().resume();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(status(gateways.second(), "/packs/open", "trudy")).as("trudy's block reached the others")
                            .isEqualTo(403));
            assertThat(gateways.redis().run("GET", "ag:{u:trudy}:abuse").get(0)).startsWith("100:-1:");

            admin(gateways.first(), "DELETE", "/users/eve/ban");
            long unbannedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> all.forEach(gateway ->
                    assertThat(status(gateway, "/packs/open", "eve")).isEqualTo(200)));
            System.out.printf("outage: %d refusals of mallory and eve on 3 instances over %d s, none served; "
                            + "unban reached all three in %d ms%n", refused, OUTAGE.toSeconds(),
                    (System.nanoTime() - unbannedAt) / 1_000_000);
        }
    }
}
