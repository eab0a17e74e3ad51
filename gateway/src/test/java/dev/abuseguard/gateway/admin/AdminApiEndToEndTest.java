package dev.abuseguard.gateway.admin;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.Abusers;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/** The admin API on real Redis: see the abusers, act on one, read and follow the audit trail; all behind the token. */
class AdminApiEndToEndTest {

    private static final int MAX_TRACKED = 20;
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onTestRoutes()
            .with("--abuse-guard.admin.label=ops-alice", "--abuse-guard.abuse.max-tracked-users=" + MAX_TRACKED);

    /**
     * Each test has users of its own: Redis is emptied between tests, but the gateway's near cache of
     * blocks is not (only an admin's unblock, reset or ban clears it, as in production).
     */
    @BeforeEach
    void reset() {
        gateway.redis().flushAll();
    }

    private WebTestClient.RequestHeadersSpec<?> admin(String method, String path) {
        return gateway.client().method(HttpMethod.valueOf(method)).uri("/admin/api" + path)
                .header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    private void blockByViolations(String user) {
        Abusers.violateUntilBlocked(gateway.client(), user);
        gateway.client().get().uri("/packs/open").header("X-User-Id", user).exchange().expectStatus().isForbidden();
    }

    private WebTestClient.ResponseSpec adminJson(String method, String path, String json) {
        return gateway.client().method(HttpMethod.valueOf(method)).uri("/admin/api" + path)
                .header("Authorization", "Bearer " + ADMIN_TOKEN).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(json)
                .exchange();
    }

    private List<Map<String, Object>> events(int limit) {
        return admin("GET", "/events?limit=" + limit).accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult()
                        .getResponseBody();
    }

    @Test
    void everyAdminCallNeedsTheBearerToken() {
        gateway.client().get().uri("/admin/api/stats").exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        gateway.client().get().uri("/admin/api/stats").header("Authorization", "Bearer " + ADMIN_TOKEN + "x").exchange()
                .expectStatus().isUnauthorized();
        gateway.client().post().uri("/admin/api/users/u/reset").exchange().expectStatus().isUnauthorized();
        gateway.client().get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
        gateway.client().get().uri("/actuator/health").exchange().expectStatus().isOk();
        admin("GET", "/stats").exchange().expectStatus().isOk();
    }

    @Test
    void aRefusedCallStoresNothingAndSetsNoCookie() {
        for (int i = 0; i < 20; i++) {
            gateway.client().get().uri("/admin/api/stats").header("Accept", "text/html").exchange()
                    .expectStatus().isUnauthorized().expectHeader().doesNotExist("Set-Cookie");
            gateway.client().get().uri("/admin/api/users").header("Authorization", "Bearer wrong").exchange()
                    .expectStatus().isUnauthorized().expectHeader().doesNotExist("Set-Cookie");
        }
        admin("GET", "/stats").exchange().expectStatus().isOk().expectHeader().doesNotExist("Set-Cookie");
    }

    @Test
    void theStatsAndTheUserListShowABlockedUserWithTheirHistory() {
        blockByViolations("mallory");
        gateway.client().get().uri("/tiny").header("X-User-Id", "meh").exchange().expectStatus().isOk();
        gateway.client().get().uri("/tiny").header("X-User-Id", "meh").exchange().expectStatus().isEqualTo(429);

        admin("GET", "/stats").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.usersTracked").isEqualTo(2)
                .jsonPath("$.highAbuse").isEqualTo(1)
                .jsonPath("$.blocked").isEqualTo(1)
                .jsonPath("$.totalViolations").isEqualTo(6)
                .jsonPath("$.store").isEqualTo("redis");
        admin("GET", "/users?minScore=1&limit=50").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].userId").isEqualTo("mallory")
                .jsonPath("$[0].score").isEqualTo(100)
                .jsonPath("$[0].blocked").isEqualTo(true)
                .jsonPath("$[0].violations").isEqualTo(5)
                .jsonPath("$[0].lastAction").isEqualTo("tiny")
                .jsonPath("$[0].lastViolationAt").isNumber()
                .jsonPath("$[1].userId").isEqualTo("meh")
                .jsonPath("$[1].blocked").isEqualTo(false);
        admin("GET", "/users?minScore=50").exchange().expectBody().jsonPath("$.length()").isEqualTo(1);
        admin("GET", "/users/mallory").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.score").isEqualTo(100)
                .jsonPath("$.history.length()").isEqualTo(5)
                .jsonPath("$.history[0].scoreAfter").isEqualTo(100)
                .jsonPath("$.history[4].scoreAfter").isEqualTo(10)
                .jsonPath("$.history[0].action").isEqualTo("tiny");
        admin("GET", "/users/nobody").exchange().expectStatus().isNotFound();
        admin("GET", "/users/%7Bu:x%7D").exchange().expectStatus().isBadRequest();
    }

    @Test
    void theUserListAnswersEveryTimeItIsAsked() {
        for (int i = 0; i < MAX_TRACKED; i++) {
            gateway.client().get().uri("/tiny").header("X-User-Id", "listed-" + i).exchange().expectStatus().isOk();
            gateway.client().get().uri("/tiny").header("X-User-Id", "listed-" + i).exchange().expectStatus()
                    .isEqualTo(429);
        }
        for (int i = 0; i < 10; i++) {
            admin("GET", "/users?limit=" + MAX_TRACKED).exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.length()").isEqualTo(MAX_TRACKED);
        }
    }

    @Test
    void durationsOutOfBoundsAreRefusedNamingTheFieldAndStoreNothing() {
        for (String duration : new String[] {"106751991000d", "3651d", "0s", "-1h", "soon", "99999999999999999999ms"}) {
            adminJson("POST", "/users/overflow/ban", "{\"duration\":\"" + duration + "\"}")
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo("duration")
                    .jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:bad-request");
            adminJson("PUT", "/users/overflow/exempt", "{\"duration\":\"" + duration + "\"}")
                    .expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("duration");
        }
        adminJson("PUT", "/users/overflow/limits/tiny", "{\"limit\":5,\"window\":\"106751991000d\"}")
                .expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("window");
        // pack_purchase is a sliding log: an admin cannot grow one user's past the cap
        adminJson("PUT", "/users/overflow/limits/pack_purchase", "{\"limit\":1001,\"window\":\"1h\"}")
                .expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("limit");
        admin("GET", "/users/overflow").exchange().expectStatus().isNotFound();
        assertThat(gateway.redis().keys("*overflow*")).isEmpty();

        adminJson("POST", "/users/overflow/ban", "{\"duration\":\"3650d\"}").expectStatus().isNoContent();
        admin("GET", "/users/overflow").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.blocked").isEqualTo(true);
    }

    @Test
    void aBadUserIdIsAProblemNamingIt() {
        for (String id : new String[] {"a~b", "a".repeat(129), "ab:c*"}) {
            admin("PUT", "/users/" + id + "/exempt").exchange().expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo("id");
        }
    }

    @Test
    void resetClearsScoreBlockAndRateLimitStateAndIsAudited() {
        blockByViolations("mallory-reset");

        admin("POST", "/users/mallory-reset/reset").exchange().expectStatus().isNoContent();

        gateway.client().get().uri("/tiny").header("X-User-Id", "mallory-reset").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("X-Abuse-Score", "0");
        admin("GET", "/users/mallory-reset").exchange().expectStatus().isNotFound();
        admin("GET", "/stats").exchange().expectBody().jsonPath("$.blocked").isEqualTo(0);
        assertThat(events(1)).first().satisfies(event -> {
            assertThat(event).containsEntry("type", "RESET").containsEntry("userId", "mallory-reset")
                    .containsEntry("by", "ops-alice");
        });
    }

    /** The instance that took the unban must not wait for its own news to come back from Redis. */
    @Test
    void anUnbanHoldsForTheNextRequestAtOnce() {
        for (int i = 0; i < 50; i++) {
            String user = "flip-" + i;
            admin("POST", "/users/" + user + "/ban").exchange().expectStatus().isNoContent();
            gateway.client().get().uri("/packs/open").header("X-User-Id", user).exchange().expectStatus().isForbidden();
            admin("DELETE", "/users/" + user + "/ban").exchange().expectStatus().isNoContent();
            gateway.client().get().uri("/packs/open").header("X-User-Id", user).exchange().expectStatus().isOk();
        }
    }

    @Test
    void aBanBlocksEveryActionUntilUnbannedAndATimedBanSaysWhenItEnds() {
        admin("POST", "/users/spammer-ban/ban").exchange().expectStatus().isNoContent();
        gateway.client().get().uri("/packs/open").header("X-User-Id", "spammer-ban").exchange().expectStatus()
                .isForbidden()
                .expectHeader().doesNotExist("Retry-After");

        admin("DELETE", "/users/spammer-ban/ban").exchange().expectStatus().isNoContent();
        gateway.client().get().uri("/packs/open").header("X-User-Id", "spammer-ban").exchange().expectStatus().isOk();

        ((WebTestClient.RequestBodySpec) admin("POST", "/users/spammer-ban/ban"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"duration\":\"1h\",\"reason\":\"spam\"}")
                .exchange().expectStatus().isNoContent();
        gateway.client().get().uri("/packs/open").header("X-User-Id", "spammer-ban").exchange().expectStatus()
                .isForbidden()
                .expectHeader().valueMatches("Retry-After", "3[56][0-9]{2}");
        ((WebTestClient.RequestBodySpec) admin("POST", "/users/spammer-ban/ban"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"duration\":\"soon\"}")
                .exchange().expectStatus().isBadRequest();

        assertThat(events(3)).extracting(e -> e.get("type")).containsExactly("BAN", "UNBLOCK", "BAN");
        assertThat(events(1).get(0)).containsEntry("by", "ops-alice").containsEntry("detail", "for PT1H; reason: spam");
        admin("DELETE", "/users/nobody/ban").exchange().expectStatus().isNotFound();
    }

    @Test
    void aBanUntilUnbannedAndABlockUntilLiftedAreKeptLongerThanTheRecordsRetention() {
        admin("POST", "/users/banned-for-good/ban").exchange().expectStatus().isNoContent();
        blockByViolations("blocked-for-good");

        long retention = Duration.ofDays(30).toMillis();
        for (String user : List.of("banned-for-good", "blocked-for-good")) {
            long ttl = Long.parseLong(gateway.redis().run("PTTL", "ag:{u:" + user + "}:abuse").get(0));
            assertThat(ttl).as("time to live of %s's record", user).isGreaterThan(retention)
                    .isGreaterThan(Duration.ofDays(364).toMillis());
        }
    }

    @Test
    void aBannedUserWithNoViolationsHasARowOnTheDashboardToUnbanFrom() {
        admin("POST", "/users/silent-spammer/ban").exchange().expectStatus().isNoContent();

        admin("GET", "/users?minScore=1&limit=50").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.length()").isEqualTo(1)
                .jsonPath("$[0].userId").isEqualTo("silent-spammer")
                .jsonPath("$[0].score").isEqualTo(0)
                .jsonPath("$[0].blocked").isEqualTo(true);
    }

    @Test
    void aFloodOfFreshIdsKeepsTheIndexesBoundedAndBlockedUsersStay() {
        blockByViolations("kept-blocked");
        for (int i = 0; i < 3 * MAX_TRACKED; i++) {
            String id = "flood-" + i;
            gateway.client().get().uri("/tiny").header("X-User-Id", id).exchange().expectStatus().isOk();
            gateway.client().get().uri("/tiny").header("X-User-Id", id).exchange().expectStatus().isEqualTo(429);
        }

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(gateway.redis().run("ZCARD", "ag:{idx}:scores").get(0))
                        .isEqualTo(Integer.toString(MAX_TRACKED)));
        assertThat(Long.parseLong(gateway.redis().run("ZCARD", "ag:{idx}:expiry").get(0)))
                .isLessThanOrEqualTo(MAX_TRACKED);
        admin("GET", "/stats").exchange().expectBody().jsonPath("$.usersTracked").isEqualTo(MAX_TRACKED)
                .jsonPath("$.blocked").isEqualTo(1);
        admin("GET", "/users?minScore=1&limit=1").exchange().expectBody()
                .jsonPath("$[0].userId").isEqualTo("kept-blocked");
    }

    @Test
    void theAuditTrailListsViolationsAndBlocksNewestFirstAndStreamsThemLive() {
        Flux<ServerSentEvent<Map<String, Object>>> live = gateway.webClient().get().uri("/admin/api/events")
                .header("Authorization", "Bearer " + ADMIN_TOKEN).accept(MediaType.TEXT_EVENT_STREAM).retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { });
        var received = live.takeUntil(event -> "block".equals(event.event())).collectList().toFuture();
        Awaitility.await().pollDelay(Duration.ofMillis(1200)).until(() -> true); // the stream polls every second

        blockByViolations("mallory-live");

        assertThat(events(100)).extracting(e -> e.get("type"))
                .containsExactly("BLOCK", "VIOLATION", "VIOLATION", "VIOLATION", "VIOLATION", "VIOLATION");
        assertThat(events(1).get(0)).containsEntry("userId", "mallory-live").containsEntry("score", 100)
                .containsEntry("by", "gateway");
        List<ServerSentEvent<Map<String, Object>>> streamed = received.orTimeout(10, TimeUnit.SECONDS)
                .exceptionally(timeout -> List.of()).join();
        assertThat(streamed).extracting(ServerSentEvent::event).contains("violation", "block");
    }

    @Test
    void metricsCountDecisionsAndShowTheStoresState() {
        String before = prometheus();

        blockByViolations("mallory-metrics");

        String after = prometheus();
        String tinyAllowed = "abuseguard_decisions_total{action=\"tiny\",outcome=\"allowed\",shadow=\"false\"}";
        String tinyLimited = "abuseguard_decisions_total{action=\"tiny\",outcome=\"rate_limited\",shadow=\"false\"}";
        String packBlocked = "abuseguard_decisions_total{action=\"pack_create\",outcome=\"blocked\",shadow=\"false\"}";
        assertThat(count(after, tinyAllowed) - count(before, tinyAllowed)).isEqualTo(1);
        assertThat(count(after, tinyLimited) - count(before, tinyLimited)).isEqualTo(5);
        assertThat(count(after, packBlocked) - count(before, packBlocked)).isEqualTo(1);
        assertThat(count(after, "abuseguard_redis_latency_seconds_count")).isGreaterThanOrEqualTo(7);
        assertThat(count(after, "abuseguard_redis_breaker_state")).isZero();
        assertThat(count(after, "abuseguard_store_shared_deciding{store=\"redis\"}")).isEqualTo(1);
        assertThat(after).contains("abuseguard_users_blocked");
    }

    @Test
    void proxiedRequestsAreNotTimedButTheGatewaysOwnEndpointsAre() {
        double timedBefore = sum(prometheus(), "http_server_requests_seconds_count");
        for (int i = 0; i < 3; i++) {
            gateway.client().get().uri("/packs/open").header("X-User-Id", "timed-" + i).exchange().expectStatus()
                    .isOk();
        }
        admin("GET", "/stats").exchange().expectStatus().isOk();

        String metrics = prometheus();
        // the stats call is timed, and the previous scrape unless its timer stops after this scrape began;
        // the three proxied requests are not
        assertThat(sum(metrics, "http_server_requests_seconds_count") - timedBefore).isBetween(1.0, 2.0);
        assertThat(metrics).contains("uri=\"/admin/api/stats\"").doesNotContain("spring_cloud_gateway_requests")
                .doesNotContain("http_client_requests_seconds_count{").doesNotContain("spring_security_");
        assertThat(count(metrics,
                "abuseguard_decisions_total{action=\"pack_create\",outcome=\"allowed\",shadow=\"false\"}"))
                .isGreaterThanOrEqualTo(3);
    }

    /** The sum over every sample of one metric, whatever its tags. */
    private static double sum(String metrics, String name) {
        return metrics.lines().filter(line -> line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private String prometheus() {
        return gateway.client().get().uri("/actuator/prometheus").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    /** The value of one sample line, 0 when absent. */
    private static double count(String metrics, String sample) {
        return metrics.lines().filter(line -> line.startsWith(sample + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(sample.length() + 1))).orElse(0.0);
    }
}
