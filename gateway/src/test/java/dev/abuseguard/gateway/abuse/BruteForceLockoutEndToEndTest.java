package dev.abuseguard.gateway.abuse;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.GatewayExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/**
 * {@code failed_login} counts what the login backend answered 401: guessers are locked out, even when they
 * guess in parallel; users who log in are not.
 */
class BruteForceLockoutEndToEndTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onTestRoutes().stubbedBackend();

    @BeforeEach
    void reset() {
        gateway.redis().flushAll();
        gateway.backend().resetAll();
        gateway.backend().stubFor(post(urlEqualTo("/auth/login")).willReturn(aResponse().withStatus(200)
                .withBody("welcome")));
        gateway.backend().stubFor(post(urlEqualTo("/auth/login")).withRequestBody(equalTo("password=wrong"))
                .willReturn(aResponse().withStatus(401).withBody("wrong password")));
    }

    private WebTestClient.ResponseSpec login(String user, String password) {
        return gateway.client().post().uri("/auth/login").header("X-User-Id", user).bodyValue("password=" + password)
                .exchange();
    }

    @Test
    void afterFiveWrongPasswordsTheUserIsLockedOutWithoutReachingTheBackend() {
        for (int remaining = 4; remaining >= 0; remaining--) {
            login("guesser", "wrong").expectStatus().isUnauthorized().expectBody(String.class)
                    .isEqualTo("wrong password");
        }

        login("guesser", "wrong").expectStatus().isEqualTo(429).expectHeader().valueEquals("X-Abuse-Score", "10");
        login("guesser", "right").expectStatus().isEqualTo(429); // locked out until the window passes

        gateway.backend().verify(5, postRequestedFor(urlEqualTo("/auth/login")).withHeader("X-User-Id",
                equalTo("guesser")));
    }

    @Test
    void twentyWrongPasswordsSentAtOnceReachTheBackendOnlyUpToTheLimitAndTheRestAreViolations() {
        gateway.backend().stubFor(post(urlEqualTo("/auth/login")).withRequestBody(equalTo("password=wrong"))
                .willReturn(aResponse().withStatus(401).withFixedDelay(500).withBody("wrong password")));
        WebClient web = gateway.webClient();

        List<ClientResponse> answers = Flux.range(0, 20)
                .flatMap(i -> web.post().uri("/auth/login").header("X-User-Id", "parallel-guesser")
                        .bodyValue("password=wrong").exchangeToMono(response -> response.releaseBody()
                                .thenReturn(response)), 20)
                .collectList().block(Duration.ofSeconds(30));

        Map<Integer, Long> byStatus = answers.stream()
                .collect(Collectors.groupingBy(r -> r.statusCode().value(), Collectors.counting()));
        assertThat(byStatus.get(401)).as("attempts that reached the login backend, of %s", byStatus).isEqualTo(5);
        assertThat(byStatus.getOrDefault(429, 0L) + byStatus.getOrDefault(403, 0L)).isEqualTo(15);
        gateway.backend().verify(5, postRequestedFor(urlEqualTo("/auth/login")));
        long highestScore = answers.stream().map(r -> r.headers().asHttpHeaders().getFirst("X-Abuse-Score"))
                .filter(Objects::nonNull).mapToLong(Long::parseLong).max().orElse(0);
        assertThat(highestScore).as("the refused attempts were scored as violations").isGreaterThanOrEqualTo(100);
    }

    @Test
    void successfulLoginsSpendNothing() {
        for (int i = 0; i < 20; i++) {
            login("regular", "right").expectStatus().isOk()
                    .expectHeader().valueEquals("X-RateLimit-Remaining", "4");
        }
        login("regular", "wrong").expectStatus().isUnauthorized();
        login("regular", "right").expectStatus().isOk().expectHeader().valueEquals("X-RateLimit-Remaining", "3");

        gateway.backend().verify(22, postRequestedFor(urlEqualTo("/auth/login")));
    }
}
