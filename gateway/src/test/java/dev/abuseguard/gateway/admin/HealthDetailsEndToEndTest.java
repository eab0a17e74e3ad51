package dev.abuseguard.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.TestRoutes;
import dev.abuseguard.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code /actuator/health} is open, so that probes and load balancers need no secret; what is behind the
 * status (which store decides, the breaker's state, disk space, ...) tells an attacker when an outage makes the
 * gateway fall back, so only the admin token sees it.
 */
class HealthDetailsEndToEndTest {

    private static final String TOKEN = "health-details-token";
    private static final RedisServer redis = RedisServer.sharedEmpty();
    private static WireMockServer backend;
    private static GatewayApp gateway;
    private static WebTestClient client;

    @BeforeAll
    static void start() {
        backend = Backends.answeringOk();
        gateway = GatewayApp.start(TestRoutes.to(backend.port()), redis.port(), "--abuse-guard.admin.token=" + TOKEN);
        client = gateway.client();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.stop();
    }

    @Test
    void anAnonymousCallerLearnsTheStatusAndNothingOfTheStoreOrTheBreaker() {
        String body = client.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).contains("\"status\":\"UP\"")
                .doesNotContain("components").doesNotContain("abuseGuardStore").doesNotContain("breaker")
                .doesNotContain("redis").doesNotContain("details");
        client.get().uri("/actuator/health/abuseGuardStore").exchange().expectStatus().isNotFound();
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody(String.class).value(readiness -> assertThat(readiness).doesNotContain("components"));
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }

    @Test
    void aWrongTokenIsRefusedAndSeesNothing() {
        client.get().uri("/actuator/health").header("Authorization", "Bearer not-" + TOKEN).exchange()
                .expectStatus().isUnauthorized()
                .expectBody(String.class).value(body -> assertThat(body).doesNotContain("abuseGuardStore"));
    }

    @Test
    void theAdminTokenSeesTheStoreTheBreakerAndTheOtherComponents() {
        client.get().uri("/actuator/health").header("Authorization", "Bearer " + TOKEN).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.abuseGuardStore.status").isEqualTo("UP")
                .jsonPath("$.components.abuseGuardStore.details.store").isEqualTo("redis")
                .jsonPath("$.components.abuseGuardStore.details.breaker").isEqualTo("CLOSED")
                .jsonPath("$.components.diskSpace.status").isEqualTo("UP");
        client.get().uri("/actuator/health/abuseGuardStore").header("Authorization", "Bearer " + TOKEN).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.details.breaker").isEqualTo("CLOSED");
    }
}
