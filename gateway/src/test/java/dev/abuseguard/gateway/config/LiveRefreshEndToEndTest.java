package dev.abuseguard.gateway.config;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * An operator edits routes.yml and refreshes: new limits and routes apply without a restart, the counters
 * of unchanged actions keep their state, and a bad configuration is refused whole.
 */
@ExtendWith(OutputCaptureExtension.class)
class LiveRefreshEndToEndTest {

    private static final RedisServer redis = RedisServer.sharedEmpty();
    private WireMockServer backend;
    private GatewayApp gateway;
    private WebTestClient client;

    private String routes(String packCreate, String extraRoute) {
        return """
                spring.cloud.gateway.server.webflux.routes:
                  - id: packs
                    uri: http://127.0.0.1:%1$d
                    predicates: [ "Path=/packs/**" ]
                    filters: [ "AbuseGuard=pack_create" ]
                  - id: payments
                    uri: http://127.0.0.1:%1$d
                    predicates: [ "Path=/payments/**" ]
                    filters: [ "AbuseGuard=payment" ]
                %2$s
                abuse-guard:
                  actions:
                    pack_create: %3$s
                    payment:     { limit: 5, window: 1h, strategy: token-bucket }
                """.formatted(backend.port(), extraRoute, packCreate);
    }

    @BeforeEach
    void start() {
        redis.flushAll();
        backend = Backends.answeringOk();
        // per test, not per class: each test rewrites the routes file the gateway watches
        gateway = GatewayApp.start(routes("{ limit: 5, window: 1h, strategy: token-bucket }", ""), redis.port(),
                GatewayExtension.defaults());
        client = gateway.client();
    }

    @AfterEach
    void stop() {
        gateway.close();
        backend.stop();
    }

    private WebTestClient.ResponseSpec get(String path, String user) {
        return client.get().uri(path).header("X-User-Id", user).exchange();
    }

    /**
     * A refresh on a connection of its own, as an operator's curl makes it. On a kept-alive connection Reactor
     * Netty 1.3.6 can stop reading: a rejected refresh is answered (500) before its exchange ends, the test's
     * next request arrives meanwhile and is queued, is answered at once (404) from the queue, and the read is
     * never re-armed, so the request after it waits forever (reactor-netty issue 4361, fixed in 1.3.8).
     */
    private WebTestClient.ResponseSpec refresh() {
        return client.post().uri("/actuator/refresh").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Connection", "close").exchange();
    }

    @Test
    void refreshingNeedsTheAdminToken() {
        client.post().uri("/actuator/refresh").exchange().expectStatus().isUnauthorized();
        client.post().uri("/actuator/refresh").header("Authorization", "Bearer wrong").exchange()
                .expectStatus().isUnauthorized();
        refresh().expectStatus().isOk();
    }

    @Test
    void aNewLimitAndANewRouteApplyAtOnceAndUnchangedCountersKeepTheirState() {
        get("/packs/open", "alice").expectStatus().isOk().expectHeader().valueEquals("X-RateLimit-Remaining", "4");
        get("/payments/pay", "bob").expectStatus().isOk().expectHeader().valueEquals("X-RateLimit-Remaining", "4");
        get("/payments/pay", "bob").expectStatus().isOk().expectHeader().valueEquals("X-RateLimit-Remaining", "3");

        gateway.rewriteRoutes(routes("{ limit: 8, window: 1h, strategy: token-bucket }", """
                  - id: cards
                    uri: http://127.0.0.1:%d
                    predicates: [ "Path=/cards/**" ]
                    filters: [ "AbuseGuard=payment" ]
                """.formatted(backend.port())));
        refresh().expectStatus().isOk();

        get("/packs/open", "alice").expectStatus().isOk()
                .expectHeader().valueEquals("X-RateLimit-Limit", "8")
                .expectHeader().valueEquals("X-RateLimit-Remaining", "6"); // alice's first request still counts
        get("/payments/pay", "bob").expectStatus().isOk()
                .expectHeader().valueEquals("X-RateLimit-Remaining", "2");
        get("/cards/1", "bob").expectStatus().isOk()
                .expectHeader().valueEquals("X-RateLimit-Remaining", "1");
    }

    @Test
    void aBadConfigurationIsRefusedWholeAndTheLimitsInForceStay() {
        get("/packs/open", "carol").expectStatus().isOk().expectHeader().valueEquals("X-RateLimit-Limit", "5");

        gateway.rewriteRoutes(routes("{ limit: 0, window: 1h, strategy: token-bucket }", """
                  - id: cards
                    uri: http://127.0.0.1:%d
                    predicates: [ "Path=/cards/**" ]
                    filters: [ "AbuseGuard=payment" ]
                """.formatted(backend.port())));
        refresh().expectStatus().is5xxServerError();

        get("/packs/open", "carol").expectStatus().isOk()
                .expectHeader().valueEquals("X-RateLimit-Limit", "5")
                .expectHeader().valueEquals("X-RateLimit-Remaining", "3");
        get("/cards/1", "carol").expectStatus().isNotFound(); // the new route came with the bad limit: refused too

        gateway.rewriteRoutes(routes("{ limit: 5, window: 1h, strategy: token-bucket }", """
                  - id: cards
                    uri: http://127.0.0.1:%d
                    predicates: [ "Path=/cards/**" ]
                    filters: [ "AbuseGuard=pack_creat" ]
                """.formatted(backend.port())));
        refresh().expectStatus().is5xxServerError();
        get("/cards/1", "carol").expectStatus().isNotFound();

        gateway.rewriteRoutes(routes("{ limit: 6, window: 1h, strategy: token-bucket }", ""));
        refresh().expectStatus().isOk();
        get("/packs/open", "carol").expectStatus().isOk().expectHeader().valueEquals("X-RateLimit-Limit", "6");
    }

    @Test
    void aSlidingWindowAboveItsCapIsRefusedNamingTheLimitAndTheCounter(CapturedOutput output) {
        gateway.rewriteRoutes(routes("{ limit: 1001, window: 1h, strategy: sliding-window }", ""));
        refresh().expectStatus().is5xxServerError();

        assertThat(output.getOut()).contains("event=config_refresh outcome=rejected")
                // the refresh validates each action as it is bound, and names it in canonical form (no '_')
                .contains("object 'abuse-guard.actions.packcreate' on field 'limit': rejected value [1001]")
                .contains("limit must be at most 1000; for a larger limit use strategy sliding-window-counter");
        get("/packs/open", "dan").expectStatus().isOk().expectHeader().valueEquals("X-RateLimit-Limit", "5");
    }

    /** The types say what a refresh applies; the operator is told which of the changes wait for a restart. */
    @Test
    void aChangedStartUpSettingIsNamedAndTheLimitBesideItApplies(CapturedOutput output) {
        gateway.rewriteRoutes(routes("{ limit: 7, window: 1h, strategy: token-bucket }", "")
                + "  audit: { max-length: 500 }\n  spike: { factor: 3 }\n");
        refresh().expectStatus().isOk();

        get("/packs/open", "erin").expectStatus().isOk().expectHeader().valueEquals("X-RateLimit-Limit", "7");
        assertThat(output.getOut()).contains("event=config_refresh outcome=applied")
                .contains("read_at_start_up_unchanged=[audit, spike]");
    }
}
