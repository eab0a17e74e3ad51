package dev.abuseguard.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.ShippedRoutes;
import dev.abuseguard.testsupport.RedisServer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The demo works at once: with profile demo and no admin token, the gateway generates one and prints it, as Spring
 * Security prints a generated password. Anywhere else nothing is generated and the admin API stays shut.
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoAdminTokenEndToEndTest {

    private static final int NO_REDIS = RedisServer.freePort();
    private static final Pattern GENERATED = Pattern.compile("Using generated admin token: ([A-Za-z0-9_-]+)");

    private static GatewayApp start(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--abuse-guard.store.redis.enabled=false";
        System.arraycopy(args, 0, all, 1, args.length);
        return GatewayApp.start(ShippedRoutes.yaml(), NO_REDIS, all);
    }

    private static WebTestClient.ResponseSpec stats(GatewayApp gateway, String authorization) {
        WebTestClient.RequestHeadersSpec<?> request = gateway.client().get().uri("/admin/api/stats");
        return (authorization == null ? request : request.header("Authorization", authorization)).exchange();
    }

    @Test
    void theDemoPrintsAGeneratedTokenThatOpensTheAdminApi(CapturedOutput output) {
        try (GatewayApp gateway = start("--spring.profiles.active=demo")) {
            Matcher printed = GENERATED.matcher(output.getOut());
            assertThat(printed.find()).as("the generated token in the log").isTrue();
            String token = printed.group(1);
            assertThat(token).hasSizeGreaterThanOrEqualTo(43); // 32 random bytes
            assertThat(output.getOut()).contains("This generated token is for the demo profile only")
                    .doesNotContain("event=admin_token_missing");

            gateway.client().get().uri("/admin").exchange().expectStatus().isOk();
            stats(gateway, "Bearer " + token).expectStatus().isOk().expectBody().jsonPath("$.usersTracked").exists();
            stats(gateway, null).expectStatus().isUnauthorized();
            stats(gateway, "Bearer " + token.substring(1)).expectStatus().isUnauthorized();
            stats(gateway, "Bearer ").expectStatus().isUnauthorized();
        }
    }

    @Test
    void aTokenSetForTheDemoIsKeptAndNothingIsGenerated(CapturedOutput output) {
        try (GatewayApp gateway = start("--spring.profiles.active=demo", "--abuse-guard.admin.token=chosen-token")) {
            assertThat(output.getOut()).doesNotContain("generated admin token");
            stats(gateway, "Bearer chosen-token").expectStatus().isOk();
        }
    }

    @Test
    void outsideTheDemoNothingIsGeneratedAndTheAdminApiStaysShut(CapturedOutput output) {
        try (GatewayApp gateway = start("--spring.profiles.active=demo-like,prod")) {
            assertThat(output.getOut()).doesNotContain("generated admin token").contains("event=admin_token_missing");
            stats(gateway, null).expectStatus().isUnauthorized();
            stats(gateway, "Bearer ").expectStatus().isUnauthorized();
            stats(gateway, "Bearer null").expectStatus().isUnauthorized();
            gateway.client().post().uri("/actuator/refresh").header("Authorization", "Bearer ")
                    .exchange().expectStatus().isUnauthorized();
        }
    }
}
