package dev.abuseguard.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/** {@code failed_login} spends its quota only on the login backend's 401s: guessers are locked out, users are not. */
class BruteForceLockoutEndToEndTest {

    private static final RedisServer redis = RedisServer.shared();
    private static WireMockServer loginBackend;
    private static GatewayApp gateway;
    private static WebTestClient client;

    @BeforeAll
    static void start() {
        loginBackend = Backends.started();
        gateway = GatewayApp.start(TestRoutes.to(loginBackend.port()), redis.port(),
                "--abuse-guard.store.redis.timeout=2s");
        client = gateway.client();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        loginBackend.stop();
    }

    @BeforeEach
    void reset() {
        redis.flushAll();
        loginBackend.resetAll();
        loginBackend.stubFor(post(urlEqualTo("/auth/login")).willReturn(aResponse().withStatus(200).withBody("welcome")));
        loginBackend.stubFor(post(urlEqualTo("/auth/login")).withRequestBody(equalTo("password=wrong"))
                .willReturn(aResponse().withStatus(401).withBody("wrong password")));
    }

    private WebTestClient.ResponseSpec login(String user, String password) {
        return client.post().uri("/auth/login").header("X-User-Id", user).bodyValue("password=" + password).exchange();
    }

    @Test
    void afterFiveWrongPasswordsTheUserIsLockedOutWithoutReachingTheBackend() {
        for (int remaining = 4; remaining >= 0; remaining--) {
            login("guesser", "wrong").expectStatus().isUnauthorized().expectBody(String.class).isEqualTo("wrong password");
        }

        login("guesser", "wrong").expectStatus().isEqualTo(429).expectHeader().valueEquals("X-Abuse-Score", "10");
        login("guesser", "right").expectStatus().isEqualTo(429); // locked out until the window passes

        loginBackend.verify(5, postRequestedFor(urlEqualTo("/auth/login")).withHeader("X-User-Id", equalTo("guesser")));
    }

    @Test
    void successfulLoginsSpendNothing() {
        for (int i = 0; i < 20; i++) {
            login("regular", "right").expectStatus().isOk()
                    .expectHeader().valueEquals("X-RateLimit-Remaining", "4");
        }
        login("regular", "wrong").expectStatus().isUnauthorized();
        login("regular", "right").expectStatus().isOk().expectHeader().valueEquals("X-RateLimit-Remaining", "3");

        loginBackend.verify(22, postRequestedFor(urlEqualTo("/auth/login")));
    }
}
