package dev.abuseguard.gateway.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.testsupport.RedisMonitor;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Shadow mode through the running gateway on Redis: a shadow action decides and spends as if enforced, but
 * every request reaches the backend with the headers of an allowed one; the would-be refusals are counted
 * ({@code shadow="true"}), logged and listed for the dashboard, and never raise a score or block anyone.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShadowModeEndToEndTest {

    private static final String TRIAL_IN_SHADOW = "{ limit: 2, window: 1h, strategy: token-bucket, shadow: true }";
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onRoutes(port -> routes(TRIAL_IN_SHADOW, "false"))
            .storeTimeout("5s").with("--abuse-guard.trends.flush-interval=200ms");

    private static String routes(String trial, String shadowAll) {
        return """
                spring.cloud.gateway.server.webflux.routes:
                  - id: trial
                    uri: http://127.0.0.1:%1$d
                    predicates: [ "Path=/trial/**" ]
                    filters: [ "AbuseGuard=trial" ]
                  - id: preview
                    uri: http://127.0.0.1:%1$d
                    predicates: [ "Path=/preview/**" ]
                    filters: [ "AbuseGuard=preview" ]
                  - id: tiny
                    uri: http://127.0.0.1:%1$d
                    predicates: [ "Path=/tiny/**" ]
                    filters: [ "AbuseGuard=tiny" ]
                  - id: guess
                    uri: http://127.0.0.1:%1$d
                    predicates: [ "Path=/guess/**" ]
                    filters: [ "AbuseGuard=guess" ]
                abuse-guard:
                  shadow: %3$s
                  actions:
                    trial:   %2$s
                    preview: { limit: 2, window: 1h, strategy: token-bucket, shadow: true }
                    tiny:    { limit: 1, window: 1h, strategy: token-bucket }
                    guess:   { limit: 2, window: 1h, strategy: fixed-window, spend-on: failure, shadow: true }
                """.formatted(gateway.backend().port(), trial, shadowAll);
    }

    /** The guess route's backend refuses a wrong guess, which is what its action spends on. */
    @BeforeAll
    static void stubWrongGuesses() {
        gateway.backend().stubFor(WireMock.any(urlPathEqualTo("/guess/wrong"))
                .willReturn(WireMock.aResponse().withStatus(401)));
    }

    @BeforeEach
    void reset() {
        gateway.redis().flushAll();
        gateway.backend().resetRequests();
    }

    @Test
    void wouldBeRefusalsReachTheBackendAsAllowedAreCountedAndLoggedAndNeverScored(CapturedOutput output)
            throws Exception {
        String tinyLimited = "abuseguard_decisions_total{action=\"tiny\",outcome=\"rate_limited\",shadow=\"false\"}";
        double tinyBefore = count(prometheus(), tinyLimited);
        String[] remaining = {"1", "0", "0", "0", "0", "0", "0", "0"};
        for (String left : remaining) {
            get("/preview/open", "sam").expectStatus().isOk()
                    .expectHeader().valueEquals("X-RateLimit-Limit", "2")
                    .expectHeader().valueEquals("X-RateLimit-Remaining", left)
                    .expectHeader().valueEquals("X-Abuse-Score", "0")
                    .expectHeader().doesNotExist("Retry-After")
                    .expectHeader().doesNotExist("X-RateLimit-Scope")
                    .expectHeader().doesNotExist("X-Abuse-Blocked")
                    .expectBody(String.class).isEqualTo("ok");
        }
        gateway.backend().verify(8, getRequestedFor(urlPathEqualTo("/preview/open")));

        admin().get().uri("/admin/api/users/sam").exchange().expectStatus().isNotFound(); // nothing recorded
        get("/tiny/x", "sam").expectStatus().isOk();
        get("/tiny/x", "sam").expectStatus().isEqualTo(429)
                .expectHeader().valueEquals("X-Abuse-Score", "10"); // the first real violation, not the seventh

        String metrics = prometheus();
        assertThat(count(metrics,
                "abuseguard_decisions_total{action=\"preview\",outcome=\"rate_limited\",shadow=\"true\"}"))
                .isEqualTo(6);
        assertThat(count(metrics,
                "abuseguard_decisions_total{action=\"preview\",outcome=\"allowed\",shadow=\"true\"}"))
                .isEqualTo(2);
        assertThat(count(metrics, tinyLimited) - tinyBefore).isEqualTo(1);
        assertThat(output.getOut().lines().filter(line -> line.contains(
                "event=shadow_violation user=sam action=preview outcome=rate_limited score=0 by=gateway")))
                .hasSize(6);
        assertThat(output.getOut()).doesNotContain("event=violation user=sam action=preview");

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> admin().get()
                .uri("/admin/api/shadow?minutes=5").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.actions[?(@.action=='preview')].violations").isEqualTo(List.of(6))
                .jsonPath("$.actions[?(@.action=='preview')].shadow").isEqualTo(List.of(true)));

        try (RedisMonitor monitor = new RedisMonitor(gateway.redis().port())) {
            get("/preview/open", "sam").expectStatus().isOk();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !sams(monitor.lines(), false).isEmpty()
                    && !sams(monitor.lines(), true).isEmpty());
            // trend flushes may run meanwhile; the user's own commands are one round trip, as enforced
            assertThat(sams(monitor.lines(), false)).hasSize(1).allMatch(line -> line.contains("\"EVALSHA\""));
            assertThat(sams(monitor.lines(), true)).as("read (record, state, overrides in one MGET), nothing written")
                    .hasSize(1).allMatch(line -> line.contains("\"MGET\""));
        }
    }

    /** MONITOR lines naming sam's keys: sent by the gateway, or made inside a script. */
    private static List<String> sams(List<String> lines, boolean inScript) {
        return lines.stream().filter(line -> line.contains("{u:sam}") && line.contains(" lua] ") == inScript)
                .toList();
    }

    @Test
    void aBlockedUserIsForwardedOnAShadowActionAndStillRefusedOnEnforcedOnes() {
        get("/tiny/x", "mallory").expectStatus().isOk();
        for (int i = 0; i < 5; i++) {
            get("/tiny/x", "mallory").expectStatus().isEqualTo(429);
        }
        get("/tiny/x", "mallory").expectStatus().isForbidden();

        get("/trial/open", "mallory").expectStatus().isOk()
                .expectHeader().valueEquals("X-Abuse-Score", "100")
                .expectHeader().doesNotExist("X-Abuse-Blocked");
        gateway.backend().verify(1, getRequestedFor(urlPathEqualTo("/trial/open")));
        assertThat(count(prometheus(),
                "abuseguard_decisions_total{action=\"trial\",outcome=\"blocked\",shadow=\"true\"}")).isPositive();
        get("/tiny/x", "mallory").expectStatus().isForbidden();
    }

    @Test
    void aRefreshTurnsShadowModeOnForEveryActionAndOffAgain() {
        try {
            gateway.rewriteRoutes(routes("{ limit: 2, window: 1h, strategy: token-bucket }", "true"));
            refresh().expectStatus().isOk();
            for (int i = 0; i < 4; i++) {
                get("/tiny/x", "rita").expectStatus().isOk().expectHeader().valueEquals("X-Abuse-Score", "0");
            }

            gateway.rewriteRoutes(routes("{ limit: 2, window: 1h, strategy: token-bucket }", "false"));
            refresh().expectStatus().isOk();
            get("/tiny/x", "rita").expectStatus().isEqualTo(429).expectHeader().valueEquals("X-Abuse-Score", "10");
            get("/trial/open", "rita").expectStatus().isOk();
            get("/trial/open", "rita").expectStatus().isOk();
            get("/trial/open", "rita").expectStatus().isEqualTo(429); // enforced now
        } finally {
            gateway.rewriteRoutes(routes(TRIAL_IN_SHADOW, "false"));
            refresh().expectStatus().isOk();
        }
    }

    @Test
    void aWouldBeRefusalOfAnActionThatSpendsOnFailureSpentNothingAndGivesNothingBack() {
        String forwarded = "abuseguard_decisions_total{action=\"guess\",outcome=\"rate_limited\",shadow=\"true\"}";
        double before = count(prometheus(), forwarded);
        get("/guess/wrong", "gus").expectStatus().isUnauthorized(); // failures: both spent and kept
        get("/guess/wrong", "gus").expectStatus().isUnauthorized();
        get("/guess/right", "gus").expectStatus().isOk() // would be refused: forwarded, and its success refunds
                .expectHeader().valueEquals("X-RateLimit-Remaining", "0"); // nothing, since it spent nothing
        get("/guess/wrong", "gus").expectStatus().isUnauthorized()
                .expectHeader().valueEquals("X-RateLimit-Remaining", "0");
        assertThat(count(prometheus(), forwarded) - before).as("both the last two would have been refused")
                .isEqualTo(2);
        gateway.backend().verify(3, getRequestedFor(urlPathEqualTo("/guess/wrong")));
    }

    private static WebTestClient.ResponseSpec get(String path, String user) {
        return gateway.client().get().uri(path).header("X-User-Id", user).exchange();
    }

    @Test
    void theShadowListRefusesABadSpanWithAProblemNamingIt() {
        for (String minutes : List.of("0", "1441", "x", "", "5&minutes=6")) {
            admin().get().uri("/admin/api/shadow?minutes=" + minutes).exchange().expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo("minutes");
        }
    }

    private static WebTestClient admin() {
        return gateway.client().mutate().defaultHeader("Authorization", "Bearer " + ADMIN_TOKEN).build();
    }

    /** On a connection of its own (see LiveRefreshEndToEndTest: Reactor Netty 1.3.6 and kept-alive refreshes). */
    private static WebTestClient.ResponseSpec refresh() {
        return gateway.client().post().uri("/actuator/refresh").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Connection", "close").exchange();
    }

    private static String prometheus() {
        return admin().get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
    }

    /** The value of one sample line, 0 when absent. */
    private static double count(String metrics, String sample) {
        return metrics.lines().filter(line -> line.startsWith(sample + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(sample.length() + 1))).orElse(0.0);
    }
}
