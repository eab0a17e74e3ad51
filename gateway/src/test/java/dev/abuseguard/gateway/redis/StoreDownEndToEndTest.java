package dev.abuseguard.gateway.redis;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;

import dev.abuseguard.gateway.testsupport.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * No Redis answers: the gateway still starts, decides {@code local} actions from memory, and answers
 * 503 with Retry-After for actions that fail closed.
 */
class StoreDownEndToEndTest {

    /** As an operator's gateway starts without Redis: nobody listens on the store's port, the time limit as shipped. */
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onTestRoutes().noRedis().shippedStoreTimeout();

    @Test
    void aLocalActionIsStillLimitedFromMemory() {
        gateway.client().get().uri("/tiny").header("X-User-Id", "u1").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-RateLimit-Remaining", "0");
        gateway.client().get().uri("/tiny").header("X-User-Id", "u1").exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().valueEquals("X-Abuse-Score", "10");
    }

    @Test
    void anActionThatFailsClosedGets503WithRetryAfterAndNeverReachesTheBackend() {
        gateway.client().post().uri("/payments/pay").header("X-User-Id", "u2").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:store-unavailable")
                .jsonPath("$.status").isEqualTo(503)
                .jsonPath("$.action").isEqualTo("payment")
                .jsonPath("$.retryAfterSeconds").isNumber();

        gateway.backend().verify(0, anyRequestedFor(urlPathMatching("/payments/.*")));
    }

    @Test
    void anAdminCallThatNeedsRedisGets503WithAProblemBody() {
        for (String path : new String[] {"/admin/api/stats", "/admin/api/users"}) {
            gateway.client().get().uri(path).header("Authorization", "Bearer " + ADMIN_TOKEN).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                    .expectBody().jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:store-unavailable");
        }
        // what an admin does is not reported done when it could not be written
        for (String method : new String[] {"POST", "DELETE"}) {
            gateway.client().method(HttpMethod.valueOf(method)).uri("/admin/api/users/u3/ban")
                    .header("Authorization", "Bearer " + ADMIN_TOKEN).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:store-unavailable");
        }
        gateway.client().post().uri("/admin/api/users/u3/reset").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus().isEqualTo(503);
    }
}
