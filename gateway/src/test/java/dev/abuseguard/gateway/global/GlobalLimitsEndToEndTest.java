package dev.abuseguard.gateway.global;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.global.GlobalSync;
import dev.abuseguard.testsupport.ManualClock;
import dev.abuseguard.testsupport.RedisMonitor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Global limits through two gateway instances on one Redis: what is admitted in all, what a refused client sees,
 * what a refusal costs Redis, and an instance without Redis. The gateways run on one manual clock, so every test
 * has a window of its own (the clock moves an hour before each) and no window ends during a test.
 */
class GlobalLimitsEndToEndTest {

    private static final long HOUR = 3_600_000;
    private static final long SYNC_MILLIS = 100;
    private static final ManualClock clock = new ManualClock(1_800_000_000_000L / HOUR * HOUR + 10 * 60_000);
    @RegisterExtension
    static final GatewayExtension gateways = GatewayExtension.onRoutes(GlobalLimitsEndToEndTest::routes).clock(clock)
            .instances(2).with("--abuse-guard.global-sync-interval=" + SYNC_MILLIS + "ms");
    /**
     * Without Redis ({@code startAnother}). Started and closed with the others: closing one in-process app stops the
     * event loops they share.
     */
    private static GatewayApp alone;

    static String routes(int backendPort) {
        return """
                spring.cloud.gateway.server.webflux.routes:
                  - id: search
                    uri: http://127.0.0.1:%1$d
                    predicates: [ "Path=/search/**" ]
                    filters: [ "AbuseGuard=search" ]
                  - id: tight
                    uri: http://127.0.0.1:%1$d
                    predicates: [ "Path=/tight/**" ]
                    filters: [ "AbuseGuard=tight" ]
                  - id: packs
                    uri: http://127.0.0.1:%1$d
                    predicates: [ "Path=/packs/**" ]
                    filters: [ "AbuseGuard=pack_create" ]
                  - id: both
                    uri: http://127.0.0.1:%1$d
                    predicates: [ "Path=/both/**" ]
                    filters: [ "AbuseGuard=both" ]
                  - id: warm
                    uri: http://127.0.0.1:%1$d
                    predicates: [ "Path=/warm/**" ]
                    filters: [ "AbuseGuard=warm" ]
                abuse-guard:
                  actions:
                    search:      { limit: 1000000, window: 1m, strategy: token-bucket, global: { limit: 300,
                            window: 1h } }
                    tight:       { limit: 1000, window: 1m, strategy: token-bucket, global: { limit: 3, window: 1h } }
                    pack_create: { limit: 5, window: 1h, strategy: token-bucket }
                    warm:        { limit: 1000000, window: 1m, strategy: token-bucket }
                    both:        { limit: 1, window: 1h, strategy: token-bucket, global: { limit: 3, window: 1h } }
                """.formatted(backendPort);
    }

    @BeforeAll
    static void startAlone() {
        alone = gateways.startAnother("--abuse-guard.store.redis.enabled=false");
    }

    @BeforeEach
    void freshWindow() {
        gateways.redis().flushAll();
        gateways.backend().resetAll();
        Backends.answerOk(gateways.backend());
        clock.advance(Duration.ofMillis(HOUR));
    }

    private record Sent(int instance, long atNanos, int status) {
    }

    private static int status(WebClient client, String path, String user) {
        return client.get().uri(path).header("X-User-Id", user)
                .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())).block(Duration.ofSeconds(30));
    }

    /** The most of {@code times} (ns) that fall within any stretch of {@code spanNanos}. */
    private static int mostWithin(List<Long> times, long spanNanos) {
        List<Long> sorted = times.stream().sorted().toList();
        int most = 0;
        for (int start = 0, end = 0; start < sorted.size(); start++) {
            while (end < sorted.size() && sorted.get(end) - sorted.get(start) <= spanNanos) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
    }

    @Test
    void twoInstancesTogetherAdmitTheLimitPlusAtMostWhatArrivesWithinTwoSyncIntervals() {
        int perInstance = 600;
        long limit = 300;
        List<WebClient> instances = List.of(gateways.first().webClient(), gateways.second().webClient());
        // warm up both instances on an action without a global limit, so that the load below runs at speed
        Flux.range(0, 400).flatMap(i -> instances.get(i % 2).get().uri("/warm/w").header("X-User-Id", "warm-" + i)
                .exchangeToMono(r -> r.releaseBody()), 24).blockLast(Duration.ofSeconds(120));
        gateways.backend().resetAll();
        Backends.answerOk(gateways.backend());
        long began = System.nanoTime();

        List<Sent> sent = Flux.range(0, 2 * perInstance)
                .flatMap(i -> Mono.defer(() -> {
                    int instance = i % 2;
                    long at = System.nanoTime();
                    return instances.get(instance).get().uri("/search/q").header("X-User-Id", "many-" + i)
                            .exchangeToMono(r -> r.releaseBody().thenReturn(new Sent(instance, at, r.statusCode()
                                    .value())));
                }), 24)
                .collectList().block(Duration.ofSeconds(120));
        long tookMillis = (System.nanoTime() - began) / 1_000_000;

        assertThat(sent).extracting(Sent::status).containsOnly(200, 429);
        long admitted = sent.stream().filter(s -> s.status() == 200).count();
        gateways.backend().verify((int) admitted, anyRequestedFor(anyUrl()));
        // what can be admitted beyond the limit: per instance, what arrives while the other's counts are unknown to
        // it, one interval for them to reach Redis and one for this instance to read them (+100 ms for the calls)
        long span = Duration.ofMillis(2 * SYNC_MILLIS + 100).toNanos();
        int bound = 0;
        for (int instance = 0; instance < 2; instance++) {
            int i = instance;
            bound += mostWithin(sent.stream().filter(s -> s.instance() == i).map(Sent::atNanos)
                    .collect(Collectors.toList()), span);
        }
        System.out.printf("FIGURES global over-admission: limit %d, 2 instances, sync %d ms, %d requests in %d ms "
                        + "(%.0f/s per instance): admitted %d, over by %d; bound (arrivals within %d ms, both "
                                + "instances) %d%n",
                limit, SYNC_MILLIS, sent.size(), tookMillis, perInstance * 1000.0 / Math.max(1, tookMillis), admitted,
                admitted - limit, span / 1_000_000, bound);
        assertThat(admitted).isGreaterThanOrEqualTo(limit).isLessThanOrEqualTo(limit + bound);

        // the shared counter ends up with exactly what reached the backend, under one hash tag, with a TTL
        List<String> keys = gateways.redis().keys("ag:{g}:w:search:*");
        assertThat(keys).hasSize(1);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(gateways.redis().run("GET", keys.get(0))).containsExactly(Long.toString(admitted)));
        assertThat(Long.parseLong(gateways.redis().run("PTTL", keys.get(0)).get(0))).isBetween(1L, 2 * HOUR + 10_000);
    }

    @Test
    void aGlobalRefusalIsA429WithScopeGlobalAndRetryAfterAndLeavesTheUserUnscored() {
        for (int i = 0; i < 3; i++) {
            gateways.first().client().get().uri("/tight/x").header("X-User-Id", "shape").exchange().expectStatus()
                    .isOk();
        }
        long retryMillis = HOUR - Math.floorMod(clock.millis(), HOUR);
        String retrySeconds = Long.toString((retryMillis + 999) / 1000);

        gateways.first().client().get().uri("/tight/x").header("X-User-Id", "shape").exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().valueEquals("X-RateLimit-Scope", "global")
                .expectHeader().valueEquals("Retry-After", retrySeconds)
                .expectHeader().valueEquals("X-RateLimit-Limit", "3")
                .expectHeader().valueEquals("X-RateLimit-Remaining", "0")
                .expectHeader().doesNotExist("X-Abuse-Score")
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:rate-limited")
                .jsonPath("$.global").isEqualTo(true)
                .jsonPath("$.action").isEqualTo("tight")
                .jsonPath("$.retryAfterSeconds").isEqualTo(Long.parseLong(retrySeconds))
                .jsonPath("$.abuseScore").doesNotExist();

        // the other instance reads the total within a sync or two and refuses too (a probe admitted before that
        // is the over-admission of one stale interval)
        Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> status(gateways.second().webClient(), "/tight/y",
                "other") == 429);
        assertThat(gateways.backend().findAll(getRequestedFor(urlPathMatching("/tight/.*"))).size()).isBetween(3, 4);

        // no violation, no score: the user's next request of another action still says 0
        gateways.first().client().get().uri("/packs/open").header("X-User-Id", "shape").exchange()
                .expectStatus().isOk().expectHeader().valueEquals("X-Abuse-Score", "0");
        String events = gateways.first().client().get().uri("/admin/api/events?limit=100").header("Authorization",
                "Bearer " + ADMIN_TOKEN)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(events).doesNotContain("shape").doesNotContain("other");
    }

    @Test
    void requestsTheUsersOwnLimitRefusesAreGivenBackSoOneUserCannotUseUpTheGlobalLimit() {
        List<Integer> hog = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            hog.add(status(gateways.first().webClient(), "/both/x", "hog"));
        }
        assertThat(hog).containsExactly(200, 429, 429, 429);
        gateways.first().client().get().uri("/both/x").header("X-User-Id", "hog").exchange()
                .expectStatus().isEqualTo(429).expectHeader().valueEquals("X-RateLimit-Scope", "user");

        assertThat(status(gateways.first().webClient(), "/both/x", "fair-1")).isEqualTo(200);
        assertThat(status(gateways.first().webClient(), "/both/x", "fair-2")).isEqualTo(200);
        gateways.first().client().get().uri("/both/x").header("X-User-Id", "fair-3").exchange()
                .expectStatus().isEqualTo(429).expectHeader().valueEquals("X-RateLimit-Scope", "global");
        gateways.backend().verify(3, anyRequestedFor(anyUrl()));
    }

    @Test
    void aGloballyRefusedRequestSendsNothingToRedis() throws Exception {
        for (int i = 0; i < 3; i++) {
            gateways.first().client().get().uri("/tight/x").header("X-User-Id", "fill-" + i).exchange().expectStatus()
                    .isOk();
        }

        try (RedisMonitor monitor = new RedisMonitor(gateways.redis().port())) {
            for (int i = 0; i < 20; i++) {
                gateways.first().client().get().uri("/tight/x").header("X-User-Id", "refused-" + i).exchange()
                        .expectStatus().isEqualTo(429).expectHeader().valueEquals("X-RateLimit-Scope", "global");
            }
            // the syncs of both instances go on meanwhile: once a few more have passed, the monitor has seen
            // everything the 20 requests could have sent
            String sync = GlobalSync.scriptSha();
            long syncsBefore = monitor.clientLines().stream().filter(line -> line.contains(sync)).count();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                    monitor.clientLines().stream().filter(line -> line.contains(sync)).count() >= syncsBefore + 4);

            assertThat(monitor.clientLines()).as("besides the syncs (and a trends flush), nothing")
                    .filteredOn(line -> !line.contains(sync) && !line.contains("{trends}")).isEmpty();
            assertThat(monitor.clientLines()).noneMatch(line -> line.contains("{u:"));
        }
        gateways.backend().verify(3, anyRequestedFor(anyUrl()));
    }

    @Test
    void withoutRedisAnInstanceLimitsFromItsOwnCount() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statuses.add(status(alone.webClient(), "/tight/x", "solo-" + i));
        }
        assertThat(statuses).containsExactly(200, 200, 200, 429, 429, 429, 429, 429);
        gateways.backend().verify(3, anyRequestedFor(anyUrl()));
    }
}
