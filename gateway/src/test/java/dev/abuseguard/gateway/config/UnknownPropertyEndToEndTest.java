package dev.abuseguard.gateway.config;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A key under abuse-guard that no configuration record binds (a typo, a key this version doesn't know) stops
 * the start-up naming it and is refused on refresh, where Spring alone would ignore it; map keys (action and
 * tier names, Discord commands) stay free.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnknownPropertyEndToEndTest {

    private static final RedisServer redis = RedisServer.sharedEmpty();
    private static WireMockServer backend;

    @BeforeAll
    static void startBackend() {
        backend = Backends.answeringOk();
    }

    @AfterAll
    static void stopBackend() {
        backend.stop();
    }

    private static String routes(String abuseGuard) {
        return """
                spring.cloud.gateway.server.webflux.routes:
                  - id: packs
                    uri: http://127.0.0.1:%d
                    predicates: [ "Path=/packs/**" ]
                    filters: [ "AbuseGuard=pack_create" ]
                abuse-guard:
                %s
                """.formatted(backend.port(), abuseGuard.indent(2).stripTrailing());
    }

    private static GatewayApp start(String abuseGuard) {
        return GatewayApp.start(routes(abuseGuard), redis.port(), GatewayExtension.defaults());
    }

    @Test
    void aTopLevelTypoStopsTheStartUpNamingTheKeyAndWhereItWasWritten() {
        assertThatThrownBy(() -> start("""
                stratgy: sliding-window
                actions:
                  pack_create: { limit: 5, window: 1h, strategy: token-bucket }
                """))
                .hasStackTraceContaining("unknown configuration property under abuse-guard: abuse-guard.stratgy: "
                        + "'stratgy' is not a property of abuse-guard (known there: abuse, action-header, actions,")
                // where it was written: the routes file, line 7 (under "abuse-guard:" on line 6)
                .hasStackTraceContaining(".yml] - 7:");
    }

    @Test
    void aTypoInsideAnActionIsNamedBeforeTheMissingValueItCauses() {
        assertThatThrownBy(() -> start("""
                actions:
                  pack_create: { limit: 5, window: 1h, stratgy: token-bucket }
                """))
                .hasStackTraceContaining("abuse-guard.actions.pack_create.stratgy: 'stratgy' is not a property of "
                        + "abuse-guard.actions.pack_create (known there: failure-statuses, ")
                .hasStackTraceContaining(" limit, max-delay, on-store-failure, ")
                .hasStackTraceContaining(" strategy, window)");
    }

    @Test
    void typosInNestedSettingsAndTiersAreNamedAllAtOnce() {
        assertThatThrownBy(() -> start("""
                actions:
                  pack_create: { limit: 5, window: 1h, strategy: token-bucket }
                abuse: { blok-threshold: 50, decay: { half-lif: 1h } }
                tiers:
                  premium:
                    pack_create: { limit: 50, windw: 1h }
                """))
                .hasStackTraceContaining("unknown configuration properties under abuse-guard: ")
                .hasStackTraceContaining("abuse-guard.abuse.blok-threshold: 'blok-threshold' is not a property of "
                        + "abuse-guard.abuse")
                .hasStackTraceContaining("abuse-guard.abuse.decay.half-lif: 'half-lif' is not a property of "
                        + "abuse-guard.abuse.decay (known there: half-life)")
                .hasStackTraceContaining("abuse-guard.tiers.premium.pack_create.windw: 'windw' is not a property of "
                        + "abuse-guard.tiers.premium.pack_create (known there: limit, window)");
    }

    @Test
    void everyKnownShapeStartsMapKeysAreFreeAndRelaxedSpellingsAreKnown() {
        try (GatewayApp gateway = start("""
                actionHeader: X-Action
                identity: { header: X-User-Id, trusted-proxies: [ 10.0.0.0/8, "::1" ] }
                exempt-users: [ staff-1 ]
                actions:
                  pack_create: { limit: 5, window: 1h, strategy: token-bucket, failure-statuses: [ 401 ] }
                  any-name_9:  { limit: 1, window: 1s, strategy: fixed-window, on_store_failure: deny }
                tiers:
                  whatever-tier: { pack_create: { limit: 50, window: 1h } }
                discord:
                  commands: { open: pack_create, "buy.gold": pack_create }
                  messages: { rate-limited: "slow down {retry}" }
                  max-body: 32KB
                headers: { ietf: false }
                alerts: { max-attempts: 2 }
                """)) {
            gateway.client().get().uri("/packs/open").header("X-User-Id", "u1").exchange().expectStatus().isOk();
        }
    }

    @Test
    void aRefreshWithAnUnknownKeyIsRefusedAndTheConfigurationInForceStays(CapturedOutput output) {
        String good = """
                actions:
                  pack_create: { limit: 5, window: 1h, strategy: token-bucket }
                """;
        try (GatewayApp gateway = start(good)) {
            WebTestClient client = gateway.client();
            client.get().uri("/packs/open").header("X-User-Id", "r1").exchange().expectStatus().isOk()
                    .expectHeader().valueEquals("X-RateLimit-Limit", "5");

            // a new limit that would apply, beside a key that would be ignored: refused whole
            gateway.rewriteRoutes(routes("""
                    actions:
                      pack_create: { limit: 8, window: 1h, strategy: token-bucket }
                    abuse: { blok-threshold: 50 }
                    """));
            refresh(client).expectStatus().is5xxServerError();
            assertThat(output.getOut()).contains("event=config_refresh outcome=rejected")
                    .contains("abuse-guard.abuse.blok-threshold: 'blok-threshold' is not a property of "
                            + "abuse-guard.abuse");
            client.get().uri("/packs/open").header("X-User-Id", "r1").exchange().expectStatus().isOk()
                    .expectHeader().valueEquals("X-RateLimit-Limit", "5")
                    .expectHeader().valueEquals("X-RateLimit-Remaining", "3");

            gateway.rewriteRoutes(routes("""
                    actions:
                      pack_create: { limit: 8, window: 1h, strategy: token-bucket }
                    """));
            refresh(client).expectStatus().isOk();
            client.get().uri("/packs/open").header("X-User-Id", "r1").exchange().expectStatus().isOk()
                    .expectHeader().valueEquals("X-RateLimit-Limit", "8");
        }
    }

    /** On a connection of its own: see LiveRefreshEndToEndTest (reactor-netty issue 4361). */
    private static WebTestClient.ResponseSpec refresh(WebTestClient client) {
        return client.post().uri("/actuator/refresh").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Connection", "close").exchange();
    }
}
