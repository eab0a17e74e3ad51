package dev.abuseguard.gateway.redis;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.TestRoutes;
import dev.abuseguard.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * No Redis answers: the gateway still starts, decides {@code local} actions from memory, and answers
 * 503 with Retry-After for actions that fail closed.
 */
class StoreDownEndToEndTest {

    private static final String TOKEN = "store-down-admin-token";
    private static WireMockServer backend;
    private static GatewayApp gateway;
    private static WebTestClient client;

    @BeforeAll
    static void start() {
        backend = Backends.answeringOk();
        int nobodyListens = RedisServer.freePort();
        gateway = GatewayApp.start(TestRoutes.to(backend.port()), nobodyListens, "--abuse-guard.admin.token=" + TOKEN);
        client = gateway.client();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.stop();
    }

    @Test
    void aLocalActionIsStillLimitedFromMemory() {
        client.get().uri("/tiny").header("X-User-Id", "u1").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-RateLimit-Remaining", "0");
        client.get().uri("/tiny").header("X-User-Id", "u1").exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().valueEquals("X-Abuse-Score", "10");
    }

    @Test
    void anActionThatFailsClosedGets503WithRetryAfterAndNeverReachesTheBackend() {
        client.post().uri("/payments/pay").header("X-User-Id", "u2").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:store-unavailable")
                .jsonPath("$.status").isEqualTo(503)
                .jsonPath("$.action").isEqualTo("payment")
                .jsonPath("$.retryAfterSeconds").isNumber();

        backend.verify(0, anyRequestedFor(urlPathMatching("/payments/.*")));
    }

    @Test
    void anAdminCallThatNeedsRedisGets503WithAProblemBody() {
        for (String path : new String[] {"/admin/api/stats", "/admin/api/users"}) {
            client.get().uri(path).header("Authorization", "Bearer " + TOKEN).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                    .expectBody().jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:store-unavailable");
        }
        // what an admin does is not reported done when it could not be written
        for (String method : new String[] {"POST", "DELETE"}) {
            client.method(HttpMethod.valueOf(method)).uri("/admin/api/users/u3/ban")
                    .header("Authorization", "Bearer " + TOKEN).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:store-unavailable");
        }
        client.post().uri("/admin/api/users/u3/reset").header("Authorization", "Bearer " + TOKEN).exchange()
                .expectStatus().isEqualTo(503);
    }
}
