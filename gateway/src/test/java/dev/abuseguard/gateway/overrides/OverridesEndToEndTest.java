package dev.abuseguard.gateway.overrides;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.testsupport.RedisMonitor;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Exempt users, own limits and tiers, set through one instance's admin API and applied by the other from the
 * user's next request, each decision still one round trip to Redis (none for a user exempt by configuration).
 */
class OverridesEndToEndTest {

    @RegisterExtension
    static final GatewayExtension gateways = GatewayExtension.onTestRoutes().instances(2).stubbedBackend()
            .storeTimeout("5s")
            .with("--abuse-guard.exempt-users[0]=staff-1",
                    "--abuse-guard.tiers.premium.tiny.limit=3", "--abuse-guard.tiers.premium.tiny.window=1h",
                    // the trend counts are added every 5 s by default: one command of their own that MONITOR would
                    // show among the decisions counted here (TrendsEndToEndTest counts those)
                    "--abuse-guard.trends.flush-interval=1h");

    @BeforeEach
    void reset() {
        gateways.redis().flushAll();
        gateways.backend().resetAll();
        Backends.answerOk(gateways.backend());
    }

    @Test
    void anExemptUserIsForwardedWithoutSpendingOnEveryInstanceInOneRoundTrip() throws Exception {
        admin(gateways.second()).put().uri("/admin/api/users/vip/exempt").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"reason\":\"load test\",\"duration\":\"1h\"}").exchange().expectStatus().isNoContent();
        tiny(gateways.first(), "vip"); // opens the connections
        try (RedisMonitor monitor = new RedisMonitor(gateways.redis().port())) {
            for (int i = 0; i < 5; i++) {
                gateways.first().client().get().uri("/tiny").header("X-User-Id", "vip").exchange().expectStatus().isOk()
                        .expectHeader().valueEquals("X-Abuse-Exempt", "true");
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> monitor.clientCommands().size() >= 5);
            // the exemption's news makes each instance read the user's hash once for its fallback's copy (an
            // EVALSHA of overrides-write.lua "sync": HGETALL, PTTL, GET, PTTL, nothing written, the string being
            // in step), off the decision path; it may land among the decisions
            assertThat(monitor.clientLines()).filteredOn(line -> !line.contains("\"sync\""))
                    .hasSize(5).allMatch(line -> line.contains("\"EVALSHA\""));
            assertThat(monitor.scriptCommands()).filteredOn(command -> !List.of("HGETALL", "PTTL", "GET")
                    .contains(command)).containsOnly("TIME", "MGET"); // nothing spent, nothing scored
        }
        admin(gateways.first()).get().uri("/admin/api/exempt").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$[?(@.userId=='vip')].reason").isEqualTo("load test")
                .jsonPath("$[?(@.userId=='staff-1')].reason").isEqualTo("configuration");
        admin(gateways.first()).delete().uri("/admin/api/users/vip/exempt").exchange().expectStatus().isNoContent();
        tiny(gateways.second(), "vip").expectStatus().isOk().expectHeader().doesNotExist("X-Abuse-Exempt");
        tiny(gateways.second(), "vip").expectStatus().isEqualTo(429);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> admin(gateways.first()).get()
                .uri("/admin/api/events?limit=10").accept(MediaType.APPLICATION_JSON).exchange().expectBody()
                .jsonPath("$[?(@.type=='OVERRIDE')].userId").isEqualTo(List.of("vip", "vip")));
    }

    @Test
    void aConfiguredExemptUserCostsNoRoundTrip() throws Exception {
        tiny(gateways.first(), "warm");
        try (RedisMonitor monitor = new RedisMonitor(gateways.redis().port())) {
            for (int i = 0; i < 3; i++) {
                tiny(gateways.first(), "staff-1").expectStatus().isOk().expectHeader().valueEquals("X-Abuse-Exempt",
                        "true");
            }
            tiny(gateways.first(), "someone").expectStatus().isOk();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !monitor.clientCommands().isEmpty());
            assertThat(monitor.clientCommands()).containsExactly("EVALSHA"); // someone's, none for staff-1
        }
    }

    @Test
    void anOwnLimitWinsOverTheTierAndTheTierOverTheActionOnEveryInstance() throws Exception {
        admin(gateways.first()).put().uri("/admin/api/users/gold/tier").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"tier\":\"premium\"}").exchange().expectStatus().isNoContent();
        for (int i = 0; i < 3; i++) {
            tiny(i % 2 == 0 ? gateways.first() : gateways.second(), "gold").expectStatus().isOk()
                    .expectHeader().valueEquals("X-RateLimit-Limit", "3");
        }
        tiny(gateways.second(), "gold").expectStatus().isEqualTo(429);

        admin(gateways.second()).put().uri("/admin/api/users/own/tier").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"tier\":\"premium\"}").exchange().expectStatus().isNoContent();
        admin(gateways.second()).put().uri("/admin/api/users/own/limits/tiny").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"limit\":2,\"window\":\"1h\"}").exchange().expectStatus().isNoContent();
        tiny(gateways.first(), "own");
        try (RedisMonitor monitor = new RedisMonitor(gateways.redis().port())) {
            tiny(gateways.second(), "own").expectStatus().isOk().expectHeader().valueEquals("X-RateLimit-Limit", "2")
                    .expectHeader().valueEquals("X-RateLimit-Remaining", "0");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !monitor.clientCommands().isEmpty());
            assertThat(monitor.clientCommands()).containsExactly("EVALSHA"); // one round trip, overrides included
        }
        tiny(gateways.first(), "own").expectStatus().isEqualTo(429).expectHeader().valueEquals("X-RateLimit-Limit",
                "2");
        tiny(gateways.first(), "plain").expectStatus().isOk().expectHeader().valueEquals("X-RateLimit-Limit", "1");
    }

    @Test
    void badOverridesAreRefusedWithAProblemAndNothingStored() {
        admin(gateways.first()).put().uri("/admin/api/users/u1/limits/tiny").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"limit\":0,\"window\":\"1h\"}").exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("limit"));
        admin(gateways.first()).put().uri("/admin/api/users/u1/limits/nope").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"limit\":3,\"window\":\"1h\"}").exchange().expectStatus().isNotFound();
        admin(gateways.first()).put().uri("/admin/api/users/u1/tier").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"tier\":\"platinum\"}").exchange().expectStatus().isBadRequest();
        tiny(gateways.first(), "u1").expectStatus().isOk().expectHeader().valueEquals("X-RateLimit-Limit", "1");
    }

    @Test
    void theListOfExemptUsersAnswersEveryTimeItIsAsked() {
        for (int i = 0; i < 30; i++) {
            admin(gateways.first()).put().uri("/admin/api/users/listed-" + i + "/exempt")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"reason\":\"r" + i + "\"}").exchange().expectStatus().isNoContent();
        }
        for (int i = 0; i < 10; i++) {
            admin(gateways.first()).get().uri("/admin/api/exempt").exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$[?(@.userId=='listed-29')].reason").isEqualTo("r29");
        }
    }

    private static WebTestClient.ResponseSpec tiny(GatewayApp app, String user) {
        return app.client().get().uri("/tiny").header("X-User-Id", user).exchange();
    }

    private static WebTestClient admin(GatewayApp app) {
        return app.client().mutate().defaultHeader("Authorization", "Bearer " + ADMIN_TOKEN).build();
    }
}
