package dev.abuseguard.gateway.operations;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.redis.LuaScript;
import dev.abuseguard.testsupport.RedisMonitor;
import dev.abuseguard.trends.Trends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /admin/api/trends}, {@code /offenders} and {@code /limits} through two running gateways on one
 * Redis: the counts of both instances added up, one Redis command per flush and none per request, TTLs on every
 * key, and every bad parameter a 400 problem naming it.
 */
class TrendsEndToEndTest {

    private static final Duration FLUSH = Duration.ofMillis(500);
    private static final JsonMapper JSON = new JsonMapper();
    private static final String ADD_SCRIPT = LuaScript.load("/dev/abuseguard/trends/trends-add.lua").sha1();
    @RegisterExtension
    static final GatewayExtension gateways = GatewayExtension.onTestRoutes().instances(2).storeTimeout("5s")
            .with("--abuse-guard.trends.flush-interval=" + FLUSH.toMillis() + "ms");

    /** What an earlier test counted is flushed before Redis is emptied, so each test sees only its own. */
    @BeforeEach
    void reset() {
        gateways.first().bean(Trends.class).flush().block();
        gateways.second().bean(Trends.class).flush().block();
        gateways.redis().flushAll();
    }

    private static WebTestClient admin(GatewayApp gateway) {
        return gateway.client().mutate().defaultHeader("Authorization", "Bearer " + ADMIN_TOKEN).build();
    }

    private static JsonNode read(GatewayApp gateway, String uri) {
        byte[] body = admin(gateway).get().uri(uri).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    private static int send(GatewayApp gateway, String path, String user) {
        return gateway.client().get().uri(path).header("X-User-Id", user).exchange()
                .returnResult(Void.class).getStatus().value();
    }

    /** action -> column -> count, summed over the minutes (traffic may straddle a minute's end). */
    private static Map<String, Map<String, Long>> sums(JsonNode rows) {
        Map<String, Map<String, Long>> sums = new HashMap<>();
        for (JsonNode row : rows) {
            assertThat(row.propertyNames()).containsExactly("minute", "action", "allowed", "rateLimited", "blocked",
                    "shadow", "storeUnavailable");
            assertThat(row.get("minute").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00Z");
            Map<String, Long> columns = sums.computeIfAbsent(row.get("action").asString(), a -> new HashMap<>());
            for (String column : List.of("allowed", "rateLimited", "blocked", "shadow", "storeUnavailable")) {
                columns.merge(column, row.get(column).asLong(), Long::sum);
            }
        }
        return sums;
    }

    private static Map<String, Long> counts(long allowed, long rateLimited, long blocked) {
        return Map.of("allowed", allowed, "rateLimited", rateLimited, "blocked", blocked, "shadow", 0L,
                "storeUnavailable", 0L);
    }

    @Test
    void trafficThroughTwoInstancesShowsAsTheSumOnEitherWithItsOffendersAndEveryKeyExpires() {
        for (int i = 0; i < 3; i++) {
            assertThat(send(gateways.first(), "/packs/open", "opener-" + i)).isEqualTo(200);
        }
        for (int i = 3; i < 5; i++) {
            assertThat(send(gateways.second(), "/packs/open", "opener-" + i)).isEqualTo(200);
        }
        assertThat(send(gateways.first(), "/tiny", "mallory")).isEqualTo(200);
        for (int i = 0; i < 5; i++) { // limit 1: five violations, the fifth blocks
            assertThat(send(i % 2 == 0 ? gateways.second() : gateways.first(), "/tiny", "mallory")).isEqualTo(429);
        }
        assertThat(send(gateways.second(), "/tiny", "mallory")).isEqualTo(403);
        assertThat(send(gateways.first(), "/tiny", "mallory")).isEqualTo(403);
        assertThat(send(gateways.first(), "/tiny", "eve")).isEqualTo(200);
        assertThat(send(gateways.second(), "/tiny", "eve")).isEqualTo(429);

        Map<String, Map<String, Long>> expected = Map.of("pack_create", counts(5, 0, 0), "tiny", counts(2, 6, 2));
        for (GatewayApp gateway : List.of(gateways.first(), gateways.second())) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(sums(read(gateway, "/admin/api/trends?minutes=5")))
                            .isEqualTo(expected));
        }
        System.out.println("FIGURES trends answer: " + read(gateways.first(), "/admin/api/trends?minutes=5"));
        JsonNode offenders = read(gateways.second(), "/admin/api/offenders?minutes=60&limit=10");
        assertThat(offenders.toString()).isEqualTo("[{\"userId\":\"mallory\",\"violations\":5},"
                + "{\"userId\":\"eve\",\"violations\":1}]");
        assertThat(read(gateways.first(), "/admin/api/offenders?limit=1").toString())
                .isEqualTo("[{\"userId\":\"mallory\",\"violations\":5}]");

        List<String> keys = gateways.redis().keys("ag:{trends}*");
        assertThat(keys).isNotEmpty();
        for (String key : gateways.redis().keys("*")) {
            assertThat(Long.parseLong(gateways.redis().run("PTTL", key).get(0))).as("TTL of %s", key).isPositive();
        }
    }

    /**
     * Steady traffic through one instance for about two seconds: each request is one decision script, and the
     * trend counts go to Redis in one command per flush interval, not per request; the idle instance sends none.
     */
    @Test
    void countsReachRedisInOneCommandPerFlushIntervalNeverOnePerRequest() throws Exception {
        assertThat(send(gateways.first(), "/steady", "warm-up")).isEqualTo(200);
        gateways.first().bean(Trends.class).flush().block(); // the add script is loaded; nothing is left to flush

        int requests = 0;
        long started;
        long elapsed;
        try (RedisMonitor monitor = new RedisMonitor(gateways.redis().port())) {
            started = System.nanoTime();
            while (System.nanoTime() - started < 2_000_000_000L && requests < 2000) {
                assertThat(send(gateways.first(), "/steady", "steady-" + (requests % 50))).isEqualTo(200);
                requests++;
            }
            elapsed = System.nanoTime() - started;
            int total = requests;
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> decisions(monitor) == total);
            // after the traffic one more flush with the last counts, then nothing while both instances are idle
            long[] seen = {additions(monitor)};
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .during(FLUSH.multipliedBy(3)).until(() -> {
                        long now = additions(monitor);
                        boolean same = now == seen[0];
                        seen[0] = now;
                        return same;
                    });
            long intervals = elapsed / FLUSH.toNanos();
            System.out.printf("FIGURES trends flush: %d requests in %d ms, %d decision scripts, %d trend additions%n",
                    requests, elapsed / 1_000_000, decisions(monitor), additions(monitor));
            // a flush timer can skip a tick on a loaded machine, never add one
            assertThat(additions(monitor)).isBetween(1L, intervals + 2);
        }
        int total = requests + 1; // and the warm-up
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                sums(read(gateways.second(), "/admin/api/trends?minutes=2")).get("steady").get("allowed"))
                        .isEqualTo(total));
    }

    private static long decisions(RedisMonitor monitor) {
        return monitor.clientLines().stream().filter(l -> l.contains("\"EVALSHA\"") && l.contains("ag:{u:")).count();
    }

    private static long additions(RedisMonitor monitor) {
        return monitor.clientLines().stream().filter(l -> l.contains(ADD_SCRIPT)).count();
    }

    /** An attacker cannot name an action: invented X-Action values are refused and never become a trend row. */
    @Test
    void inventedActionsAreRefusedAndNeverCounted() {
        for (int i = 0; i < 50; i++) {
            assertThat(gateways.first().client().get().uri("/packs/open").header("X-User-Id", "inventor")
                    .header("X-Action", "made_up_" + i).exchange().returnResult(Void.class).getStatus().value())
                    .isEqualTo(400);
        }
        assertThat(send(gateways.first(), "/packs/open", "inventor")).isEqualTo(200);
        gateways.first().bean(Trends.class).flush().block();

        assertThat(sums(read(gateways.first(), "/admin/api/trends?minutes=1440")).keySet())
                .containsExactly("pack_create");
    }

    @ParameterizedTest(name = "minutes={0}")
    @ValueSource(strings = {"0", "1441", "-1", "abc", "", "1.5", "99999999999", "60&minutes=5", "%201", "0x10",
            "60&minutes"})
    void aBadMinutesIsA400ProblemNamingIt(String minutes) {
        admin(gateways.first()).get().uri("/admin/api/trends?minutes=" + minutes).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:bad-request")
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.field").isEqualTo("minutes")
                .jsonPath("$.detail").value(detail -> assertThat(String.valueOf(detail)).contains("minutes", "1440"));
    }

    @Test
    void offendersValidateTheirParametersTooAndEveryCallNeedsTheToken() {
        admin(gateways.first()).get().uri("/admin/api/offenders?minutes=61").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("minutes");
        for (String limit : List.of("0", "101", "x")) {
            admin(gateways.first()).get().uri("/admin/api/offenders?limit=" + limit).exchange().expectStatus()
                    .isBadRequest()
                    .expectBody().jsonPath("$.field").isEqualTo("limit");
        }
        admin(gateways.first()).get().uri("/admin/api/trends?minutes=1440").exchange().expectStatus().isOk();
        admin(gateways.first()).get().uri("/admin/api/trends").exchange().expectStatus().isOk();
        for (String uri : List.of("/admin/api/trends?minutes=60", "/admin/api/offenders", "/admin/api/limits")) {
            gateways.first().client().get().uri(uri).exchange().expectStatus().isUnauthorized();
            gateways.first().client().get().uri(uri).header("Authorization", "Bearer wrong").exchange()
                    .expectStatus().isUnauthorized();
        }
    }

    @Test
    void theLimitsInForceAreListedPerAction() {
        JsonNode limits = read(gateways.first(), "/admin/api/limits");
        List<String> actions = new ArrayList<>();
        limits.forEach(entry -> actions.add(entry.get("action").asString()));
        assertThat(actions).isSorted().contains("pack_create", "tiny", "shaped", "failed_login");
        JsonNode tiny = null;
        JsonNode shaped = null;
        for (JsonNode entry : limits) {
            if (entry.get("action").asString().equals("tiny")) {
                tiny = entry;
            }
            if (entry.get("action").asString().equals("shaped")) {
                shaped = entry;
            }
        }
        assertThat(tiny.get("strategy").asString()).isEqualTo("token-bucket");
        assertThat(tiny.get("limit").asLong()).isEqualTo(1);
        assertThat(tiny.get("window").asString()).isEqualTo("1h");
        assertThat(tiny.get("windowSeconds").asDouble()).isEqualTo(3600.0);
        assertThat(tiny.get("onStoreFailure").asString()).isEqualTo("local");
        assertThat(shaped.get("strategy").asString()).isEqualTo("leaky-bucket");
        assertThat(shaped.get("window").asString()).isEqualTo("2s");
        assertThat(Set.copyOf(tiny.propertyNames())).doesNotContain("windowUsable", "maxDelayUsable");
    }
}
