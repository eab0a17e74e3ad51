package dev.abuseguard.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.strategy.StrategyType;
import dev.abuseguard.testsupport.RedisServer;
import org.junit.jupiter.api.Test;

/** A bad routes.yml stops the gateway at start-up with a message naming the field. */
class StartupValidationTest {

    private static final int NO_REDIS = RedisServer.freePort();

    private static String routes(String actionLine, String filter) {
        return """
                spring.cloud.gateway.server.webflux.routes:
                  - id: packs
                    uri: http://127.0.0.1:9
                    predicates: [ "Path=/packs/**" ]
                    filters: [ "%s" ]
                abuse-guard:
                  actions:
                    %s
                """.formatted(filter, actionLine);
    }

    @Test
    void aNonPositiveLimitNamesTheField() {
        assertThatThrownBy(() -> GatewayApp.start(routes(
                "pack_create: { limit: 0, window: 1h, strategy: token-bucket }", "AbuseGuard=pack_create"), NO_REDIS))
                .hasStackTraceContaining("on field 'actions[pack_create].limit': rejected value [0]")
                .hasStackTraceContaining("must be greater than 0");
    }

    @Test
    void aSlidingWindowAboveItsCapNamesTheLimitAndTheCounter() {
        assertThatThrownBy(() -> GatewayApp.start(routes(
                "pack_create: { limit: 1001, window: 1h, strategy: sliding-window }", "AbuseGuard=pack_create"),
                NO_REDIS))
                .hasStackTraceContaining("on field 'actions[pack_create].limit': rejected value [1001]")
                .hasStackTraceContaining("sliding-window keeps every admission of its window: limit must be at most "
                        + "1000; for a larger limit use strategy sliding-window-counter");
        // the counter has no such cap: the gateway starts and enforces the limit as written, not a clamped one
        try (GatewayApp gateway = GatewayApp.start(routes(
                "pack_create: { limit: 100000, window: 1h, strategy: sliding-window-counter }",
                        "AbuseGuard=pack_create"),
                NO_REDIS)) {
            ActionPolicy policy = gateway.bean(LivePolicies.class).current().actions().find("pack_create")
                    .orElseThrow().policy();
            assertThat(policy.limit()).isEqualTo(100_000);
            assertThat(policy.strategy()).isEqualTo(StrategyType.SLIDING_WINDOW_COUNTER);
        }
    }

    @Test
    void anUnknownStrategyNamesTheField() {
        assertThatThrownBy(() -> GatewayApp.start(routes(
                "pack_create: { limit: 5, window: 1h, strategy: token-bukket }", "AbuseGuard=pack_create"), NO_REDIS))
                // Boot prints map keys in canonical form (no '_') and adds the file's line and column
                .hasStackTraceContaining("abuse-guard.actions.packcreate.strategy")
                .hasStackTraceContaining("unknown strategy 'token-bukket'; use one of token-bucket");
    }

    @Test
    void aRouteNamingAnUndefinedActionNamesTheRouteAndTheAction() {
        assertThatThrownBy(() -> GatewayApp.start(routes(
                "pack_create: { limit: 5, window: 1h, strategy: token-bucket }", "AbuseGuard=pack_creat"), NO_REDIS))
                .hasStackTraceContaining("routes[id=packs]")
                .hasStackTraceContaining("'pack_creat', which is not defined under abuse-guard.actions");
    }

    @Test
    void aBlockFactorBelowOneOrALongestBlockShorterThanTheBlockNamesTheField() {
        String packCreate = "pack_create: { limit: 5, window: 1h, strategy: token-bucket }";
        assertThatThrownBy(() -> GatewayApp.start(routes(packCreate, "AbuseGuard=pack_create"), NO_REDIS,
                "--abuse-guard.abuse.block-duration-factor=0.5"))
                .hasStackTraceContaining("on field 'abuse.blockDurationFactor': rejected value [0.5]");
        assertThatThrownBy(() -> GatewayApp.start(routes(packCreate, "AbuseGuard=pack_create"), NO_REDIS,
                "--abuse-guard.abuse.block-duration=1h", "--abuse-guard.abuse.block-duration-factor=2",
                "--abuse-guard.abuse.max-block-duration=10m"))
                .hasStackTraceContaining("abuse.maxBlockDurationUsable")
                .hasStackTraceContaining("max-block-duration must be at least 1ms and at most 3650d, and with a "
                        + "block-duration-factor above 1 not shorter than block-duration");
    }
}
