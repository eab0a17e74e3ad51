package dev.abuseguard.gateway.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.GatewayExtension;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/** Every row of the contract's outcome table and every 400 case, through the running gateway on real Redis. */
class ContractEndToEndTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onTestRoutes().stubbedBackend();

    @BeforeEach
    void reset() {
        gateway.flushTrends(); // the earlier tests' counts, which would otherwise reach Redis during this one
        gateway.redis().flushAll();
        gateway.backend().resetAll();
        gateway.backend().stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("X-Backend", "packs")
                .withBody("{\"pack\":\"opened\"}")));
    }

    @Test
    void anAllowedRequestReachesTheBackendIntactAndCarriesTheRateLimitHeaders() {
        gateway.client().post().uri("/packs/open?kind=gold").header("X-User-Id", "1234567890").header("X-Trace", "abc")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"cards\":5}")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Backend", "packs")
                .expectHeader().valueEquals("X-RateLimit-Limit", "5")
                .expectHeader().valueEquals("X-RateLimit-Remaining", "4")
                .expectHeader().valueEquals("X-RateLimit-Reset-After", "720.000")
                .expectHeader().valueEquals("X-Abuse-Score", "0")
                .expectHeader().doesNotExist(HttpHeaders.RETRY_AFTER)
                .expectBody().json("{\"pack\":\"opened\"}");

        gateway.backend().verify(1, postRequestedFor(urlEqualTo("/packs/open?kind=gold"))
                .withHeader("X-User-Id", equalTo("1234567890"))
                .withHeader("X-Trace", equalTo("abc"))
                .withRequestBody(equalTo("{\"cards\":5}")));
    }

    @Test
    void theActionHeaderPicksOneOfTheRoutesActions() {
        gateway.client().get().uri("/packs/1").header("X-User-Id", "u1").header("X-Action", "pack_purchase")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-RateLimit-Limit", "10")
                .expectHeader().valueEquals("X-RateLimit-Reset-After", "86400.000");
    }

    @Test
    void overTheLimitTheUserGets429WithRetryAfterAndAProblemAndTheBackendIsNotCalled() {
        gateway.client().get().uri("/tiny").header("X-User-Id", "u2").exchange().expectStatus().isOk();

        gateway.client().get().uri("/tiny").header("X-User-Id", "u2").exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "3600")
                .expectHeader().valueEquals("X-RateLimit-Limit", "1")
                .expectHeader().valueEquals("X-RateLimit-Remaining", "0")
                .expectHeader().valueEquals("X-Abuse-Score", "10")
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:rate-limited")
                .jsonPath("$.title").isEqualTo("Too many requests")
                .jsonPath("$.status").isEqualTo(429)
                .jsonPath("$.detail").isNotEmpty()
                .jsonPath("$.action").isEqualTo("tiny")
                .jsonPath("$.retryAfterSeconds").isEqualTo(3600)
                .jsonPath("$.abuseScore").isEqualTo(10);

        gateway.backend().verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void fiveViolationsScore10To100AndThenTheUserIsBlockedFromEveryAction() {
        gateway.client().get().uri("/tiny").header("X-User-Id", "mallory").exchange().expectStatus().isOk();
        for (String score : new String[] {"10", "25", "45", "70", "100"}) {
            gateway.client().get().uri("/tiny").header("X-User-Id", "mallory").exchange()
                    .expectStatus().isEqualTo(429)
                    .expectHeader().valueEquals("X-Abuse-Score", score);
        }

        for (String path : new String[] {"/tiny", "/packs/open", "/payments/pay"}) {
            gateway.client().get().uri(path).header("X-User-Id", "mallory").exchange()
                    .expectStatus().isForbidden()
                    .expectHeader().valueEquals("X-Abuse-Blocked", "true")
                    .expectHeader().valueEquals("X-Abuse-Score", "100")
                    .expectHeader().doesNotExist(HttpHeaders.RETRY_AFTER) // blocked until an admin lifts it
                    .expectHeader().doesNotExist("X-RateLimit-Remaining")
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:blocked")
                    .jsonPath("$.status").isEqualTo(403)
                    .jsonPath("$.abuseScore").isEqualTo(100);
        }
        gateway.client().get().uri("/packs/open").header("X-User-Id", "someone-else").exchange().expectStatus().isOk();

        gateway.backend().verify(2, anyRequestedFor(anyUrl()));
    }

    @Test
    void theLeakyBucketHoldsAnAdmittedRequestUntilItsTurnAndRefusesAFullQueue() {
        long firstSent = System.nanoTime();
        gateway.client().get().uri("/shaped").header("X-User-Id", "slow").exchange().expectStatus().isOk();

        // sent together: one gets the next turn (1 s away), the other would wait beyond max-delay
        WebClient web = gateway.webClient();
        List<long[]> statusAndMillis = Flux.range(0, 2)
                .flatMap(i -> web.get().uri("/shaped").header("X-User-Id", "slow")
                            .exchangeToMono(r -> r.releaseBody().thenReturn(
                                    new long[] {r.statusCode().value(), (System.nanoTime() - firstSent) / 1_000_000})))
                .collectList().block(Duration.ofSeconds(10));

        assertThat(statusAndMillis).extracting(r -> r[0]).containsExactlyInAnyOrder(200L, 429L);
        long doneAfter = statusAndMillis.stream().filter(r -> r[0] == 200).findFirst().orElseThrow()[1];
        assertThat(doneAfter).as("the admitted request is forwarded a whole interval (1 s) after the first")
                .isGreaterThanOrEqualTo(990);
        gateway.backend().verify(2, anyRequestedFor(anyUrl()));
    }

    /**
     * Netty's HTTP decoder refuses a control character in any header value before a filter runs: a bare
     * 400 rather than a problem body, kept on purpose so malformed header values never reach a backend.
     */
    @Test
    void aControlCharacterInTheUserIdGets400AndReachesNothing() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /packs/open HTTP/1.1\r\nHost: gw\r\nX-User-Id: a\u0001b\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(response).startsWith("HTTP/1.1 400");
        }
        assertThat(gateway.redis().keys("*")).isEmpty();
        gateway.backend().verify(0, anyRequestedFor(anyUrl()));
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("no user id", "/packs/open", h -> { }, "X-User-Id"),
                bad("empty user id", "/packs/open", h -> h.set("X-User-Id", ""), "X-User-Id"),
                bad("hash-tag breaking id", "/packs/open", h -> h.set("X-User-Id", "{u:1}x"), "X-User-Id"),
                bad("glob id", "/packs/open", h -> h.set("X-User-Id", "*"), "X-User-Id"),
                bad("id with a space", "/packs/open", h -> h.set("X-User-Id", "a b"), "X-User-Id"),
                bad("129-character id", "/packs/open", h -> h.set("X-User-Id", "a".repeat(129)), "X-User-Id"),
                bad("1 KB id", "/packs/open", h -> h.set("X-User-Id", "a".repeat(1024)), "X-User-Id"),
                bad("64 KB id", "/packs/open", h -> h.set("X-User-Id", "a".repeat(64 * 1024)), "X-User-Id"),
                bad("escaped CR LF in id", "/packs/open", h -> h.set("X-User-Id", "a\\r\\nSET"), "X-User-Id"),
                bad("non-ASCII id", "/packs/open", h -> h.set("X-User-Id", "\u00e9l\u00e8ve"), "X-User-Id"),
                bad("duplicated id header", "/packs/open", h -> h.addAll("X-User-Id", List.of("a", "b")),
                        "X-User-Id"),
                bad("unknown action", "/packs/open", h -> { h.set("X-User-Id", "ok"); h.set("X-Action", "nope"); },
                        "X-Action"),
                bad("action of another route", "/packs/open",
                        h -> { h.set("X-User-Id", "ok"); h.set("X-Action", "payment"); }, "X-Action"),
                bad("other action on a one-action route", "/payments/pay",
                        h -> { h.set("X-User-Id", "ok"); h.set("X-Action", "pack_create"); }, "X-Action"),
                bad("key-pattern action", "/packs/open",
                        h -> { h.set("X-User-Id", "ok"); h.set("X-Action", "*"); }, "X-Action"),
                bad("duplicated action header", "/packs/open",
                        h -> { h.set("X-User-Id", "ok"); h.addAll("X-Action", List.of("pack_create",
                                "pack_create")); }, "X-Action"));
    }

    private static Arguments bad(String name, String path, Consumer<HttpHeaders> headers, String field) {
        return Arguments.of(name, path, headers, field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badIdentityOrActionGets400WithAProblemAndNothingIsStoredOrForwarded(String name, String path,
                                                                            Consumer<HttpHeaders> headers,
                                                                            String field) {
        gateway.client().post().uri(path).headers(headers).bodyValue("x").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().doesNotExist("X-RateLimit-Limit")
                .expectHeader().doesNotExist("X-Abuse-Score")
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:bad-request")
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.field").isEqualTo(field)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains(field));

        assertThat(gateway.redis().keys("*")).isEmpty();
        gateway.backend().verify(0, anyRequestedFor(anyUrl()));
    }
}
