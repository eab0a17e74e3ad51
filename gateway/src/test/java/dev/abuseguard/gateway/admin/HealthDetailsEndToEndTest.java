package dev.abuseguard.gateway.admin;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /actuator/health} is open, so that probes and load balancers need no secret; what is behind the
 * status (which store decides, the breaker's state, disk space, ...) tells an attacker when an outage makes the
 * gateway fall back, so only the admin token sees it.
 */
class HealthDetailsEndToEndTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onTestRoutes();

    @Test
    void anAnonymousCallerLearnsTheStatusAndNothingOfTheStoreOrTheBreaker() {
        String body = gateway.client().get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).contains("\"status\":\"UP\"")
                .doesNotContain("components").doesNotContain("abuseGuardStore").doesNotContain("breaker")
                .doesNotContain("redis").doesNotContain("details");
        gateway.client().get().uri("/actuator/health/abuseGuardStore").exchange().expectStatus().isNotFound();
        gateway.client().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody(String.class).value(readiness -> assertThat(readiness).doesNotContain("components"));
        gateway.client().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }

    @Test
    void aWrongTokenIsRefusedAndSeesNothing() {
        gateway.client().get().uri("/actuator/health").header("Authorization", "Bearer not-" + ADMIN_TOKEN).exchange()
                .expectStatus().isUnauthorized()
                .expectBody(String.class).value(body -> assertThat(body).doesNotContain("abuseGuardStore"));
    }

    @Test
    void theAdminTokenSeesTheStoreTheBreakerAndTheOtherComponents() {
        gateway.client().get().uri("/actuator/health").header("Authorization", "Bearer " + ADMIN_TOKEN).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.abuseGuardStore.status").isEqualTo("UP")
                .jsonPath("$.components.abuseGuardStore.details.store").isEqualTo("redis")
                .jsonPath("$.components.abuseGuardStore.details.breaker").isEqualTo("CLOSED")
                .jsonPath("$.components.diskSpace.status").isEqualTo("UP");
        gateway.client().get().uri("/actuator/health/abuseGuardStore").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.details.breaker").isEqualTo("CLOSED");
    }
}
