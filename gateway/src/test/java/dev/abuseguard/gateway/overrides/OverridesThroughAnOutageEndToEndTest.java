package dev.abuseguard.gateway.overrides;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.abuseguard.gateway.testsupport.Abusers;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * A user an admin exempted, put in a tier or gave an own limit keeps those terms while Redis is away, on every
 * instance: the one the admin used, one that heard of the change by the news of it, one started afterwards. No
 * block an instance decides on its own during the outage reaches Redis or the other instances for a user Redis
 * exempts, so when Redis is back the exempt user is answered by every instance as before.
 *
 * <p>The second test's exemption must be one no instance has read yet, so it runs after the first one's outage.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OverridesThroughAnOutageEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int EXEMPT_REQUESTS = 30;
    private static final Pattern COPIED = Pattern.compile("(?m)^abuseguard_overrides_copied(?:\\{[^}]*})? (\\S+)$");
    private static final AtomicInteger probes = new AtomicInteger();
    private static boolean paused;
    /**
     * Started once the first test's overrides are set ({@code startAnother}); the extension closes it with the others.
     */
    private static GatewayApp latecomer;

    /**
     * The copies are read afresh only hourly: an instance started before a change knows of it only by its news
     * until an outage ends.
     */
    @RegisterExtension
    static final GatewayExtension gateways = GatewayExtension.onTestRoutes().ownRedis().instances(2)
            .storeTimeout("200ms")
            .with("--abuse-guard.store.redis.wait-in-open-state=500ms", "--abuse-guard.store.redis.block-cache-ttl=1h",
                    "--abuse-guard.tiers.premium.tiny.limit=3", "--abuse-guard.tiers.premium.tiny.window=1h");

    /** A test that failed while Redis was frozen leaves it running for the next. */
    @AfterEach
    void thaw() {
        if (paused) {
            gateways.redis().resume();
            paused = false;
        }
    }

    @Test
    @Order(1)
    void exemptTieredAndOwnLimitUsersKeepTheirTermsOnEveryInstanceWhileRedisHangs() {
        admin(gateways.first(), HttpMethod.PUT, "/users/vip/exempt", "{\"reason\":\"partner\"}");
        admin(gateways.first(), HttpMethod.PUT, "/users/gold/tier", "{\"tier\":\"premium\"}");
        admin(gateways.first(), HttpMethod.PUT, "/users/own/limits/tiny", "{\"limit\":2,\"window\":\"1h\"}");
        // reads its copy at start; the second instance, started before, hears the news
        latecomer = gateways.startAnother();
        List<GatewayApp> all = List.of(gateways.first(), gateways.second(), latecomer);
        await().atMost(WAIT).untilAsserted(() -> all.forEach(gateway ->
                assertThat(copied(gateway)).as("users whose overrides the instance copied").isEqualTo(3)));

        gateways.redis().pause();
        paused = true;
        int exempt = 0;
        for (GatewayApp gateway : all) {
            for (int i = 0; i < EXEMPT_REQUESTS; i++) {
                EntityExchangeResult<byte[]> answer = tiny(gateway, "vip");
                assertThat(answer.getStatus().value()).as("vip's request %d", i).isEqualTo(200);
                assertThat(answer.getResponseHeaders().getFirst("X-Abuse-Exempt")).isEqualTo("true");
                exempt++;
            }
            assertLimitedAt(gateway, "gold", 3);
            assertLimitedAt(gateway, "own", 2);
            assertLimitedAt(gateway, "plain", 1); // the action's own: the fallback decides
        }

        gateways.redis().resume();
        paused = false;
        awaitBackOnRedis(all);
        await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> all.forEach(gateway -> {
            EntityExchangeResult<byte[]> answer = tiny(gateway, "vip");
            assertThat(answer.getStatus().value()).isEqualTo(200);
            assertThat(answer.getResponseHeaders().getFirst("X-Abuse-Exempt")).isEqualTo("true");
        }));
        assertThat(gateways.redis().run("GET", "ag:{u:vip}:abuse").get(0)).as("vip's abuse record").isNull();
        assertThat(gateways.redis().run("ZSCORE", "ag:{idx}:blocked", "vip").get(0)).isNull();
        assertThat(gateways.redis().run("HGET", "ag:{u:vip}:o", "exempt").get(0)).isEqualTo("-1");
        System.out.printf("FIGURES hung Redis: %d requests of the exempt user on 3 instances, all 200 with "
                + "X-Abuse-Exempt; tier 3 and own limit 2 held on each%n", exempt);
    }

    @Test
    @Order(2)
    void aBlockDecidedLocallyForAUserRedisExemptsIsNeitherWrittenNorAnnouncedWhenRedisIsBack() {
        // exempted as an instance of an older version does it: the hash and ag:exempt, no news, no index; the
        // instances, which read their copies at start, have not read this one, and their decisions, which read
        // the string ag:{u:<id>}:ov that a full read carries over from the hash, not yet either (the hash alone
        // is what the write-back checks)
        long until = System.currentTimeMillis() + 3_600_000;
        gateways.redis().run("HSET", "ag:{u:legacy}:o", "exempt", Long.toString(until), "reason", "old instance");
        gateways.redis().run("PEXPIRE", "ag:{u:legacy}:o", "3600000");
        gateways.redis().run("ZADD", "ag:exempt", Long.toString(until), "legacy");
        gateways.first().client().get().uri("/tiny").header("X-User-Id", "legacy").exchange().expectStatus().isOk();
        gateways.redis().run("SAVE"); // a crash that keeps what was saved

        gateways.redis().kill();
        Abusers.violateUntilBlocked(gateways.first().client(), "legacy"); // the copy does not know the exemption
        assertThat(tiny(gateways.first(), "legacy").getStatus().value()).isEqualTo(403);
        Abusers.violateUntilBlocked(gateways.first().client(), "trudy");

        gateways.redis().restart();
        List<GatewayApp> all = latecomer == null ? List.of(gateways.first(), gateways.second())
                : List.of(gateways.first(), gateways.second(), latecomer);
        awaitBackOnRedis(all);
        await().atMost(WAIT).untilAsserted(() -> assertThat(gateways.redis().run("GET", "ag:{u:trudy}:abuse").get(0))
                .as("trudy's block, written back").startsWith("100:-1:"));
        await().atMost(WAIT).untilAsserted(() -> {
            for (GatewayApp gateway : all) {
                probe(gateway); // the half-open breaker closes on calls that reach Redis
                EntityExchangeResult<byte[]> answer = tiny(gateway, "legacy");
                assertThat(answer.getStatus().value()).isEqualTo(200);
                assertThat(answer.getResponseHeaders().getFirst("X-Abuse-Exempt")).isEqualTo("true");
            }
        });
        await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> all.forEach(gateway -> {
            assertThat(tiny(gateway, "legacy").getStatus().value()).isEqualTo(200);
            assertThat(tiny(gateway, "trudy").getStatus().value()).as("trudy, blocked by the first").isEqualTo(403);
        }));
        String record = gateways.redis().run("GET", "ag:{u:legacy}:abuse").get(0);
        assertThat(record == null || !record.split(":")[1].startsWith("-")).as("legacy's record %s", record).isTrue();
        assertThat(gateways.redis().run("ZSCORE", "ag:{idx}:blocked", "legacy").get(0)).isNull();
    }

    /** The limit's requests are forwarded with the limit in the headers, the next one is a 429. */
    private static void assertLimitedAt(GatewayApp gateway, String user, int limit) {
        for (int i = 0; i < limit; i++) {
            EntityExchangeResult<byte[]> answer = tiny(gateway, user);
            assertThat(answer.getStatus().value()).as("%s's request %d", user, i).isEqualTo(200);
            assertThat(answer.getResponseHeaders().getFirst("X-RateLimit-Limit")).isEqualTo(Integer.toString(limit));
        }
        EntityExchangeResult<byte[]> refused = tiny(gateway, user);
        assertThat(refused.getStatus().value()).as("%s over the limit", user).isEqualTo(429);
        assertThat(refused.getResponseHeaders().getFirst("X-RateLimit-Limit")).isEqualTo(Integer.toString(limit));
    }

    /** Until every instance's store decides on Redis again (health UP), with requests to move their breakers. */
    private static void awaitBackOnRedis(List<GatewayApp> all) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> all.forEach(gateway -> {
            probe(gateway);
            gateway.client().get().uri("/actuator/health").header("Authorization", "Bearer " + ADMIN_TOKEN).exchange()
                    .expectBody().jsonPath("$.components.abuseGuardStore.status").isEqualTo("UP");
        }));
    }

    private static void probe(GatewayApp gateway) {
        gateway.client().get().uri("/packs/x").header("X-User-Id", "probe-" + probes.incrementAndGet()).exchange()
                .expectBody().returnResult();
    }

    private static EntityExchangeResult<byte[]> tiny(GatewayApp gateway, String user) {
        return gateway.client().get().uri("/tiny").header("X-User-Id", user).exchange().expectBody().returnResult();
    }

    private static void admin(GatewayApp gateway, HttpMethod method, String path, String body) {
        gateway.client().method(method).uri("/admin/api" + path).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isNoContent();
    }

    private static double copied(GatewayApp gateway) {
        String metrics = gateway.client().get().uri("/actuator/prometheus").header("Authorization", "Bearer "
                + ADMIN_TOKEN)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        Matcher gauge = COPIED.matcher(metrics == null ? "" : metrics);
        assertThat(gauge.find()).as("abuseguard_overrides_copied in /actuator/prometheus").isTrue();
        return Double.parseDouble(gauge.group(1));
    }
}
