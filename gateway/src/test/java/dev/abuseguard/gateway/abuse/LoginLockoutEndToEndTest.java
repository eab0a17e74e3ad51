package dev.abuseguard.gateway.abuse;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.GatewayExtension;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The shipped {@code /auth/login} route, attacked as a password guesser would: a fresh {@code X-User-Id} (or none)
 * with every guess changes nothing; failed logins are counted per account named in the JSON body, whoever sends
 * them, and per client address across accounts. The body reaches the backend byte for byte.
 */
class LoginLockoutEndToEndTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onShippedRoutes().stubbedBackend();

    @BeforeEach
    void reset() {
        gateway.redis().flushAll();
        gateway.backend().resetAll();
        gateway.backend().stubFor(post(urlEqualTo("/auth/login")).willReturn(aResponse().withStatus(200)
                .withBody("welcome")));
        gateway.backend().stubFor(post(urlEqualTo("/auth/login")).withRequestBody(matchingJsonPath("$.password",
                equalTo("wrong")))
                .willReturn(aResponse().withStatus(401).withBody("wrong password")));
    }

    private static String body(String username, String password) {
        return "{\"username\": \"" + username + "\", \"password\": \"" + password + "\"}";
    }

    private static WebTestClient.ResponseSpec login(String userIdHeader, String body) {
        return gateway.client().post().uri("/auth/login").headers(h -> {
            if (userIdHeader != null) {
                h.set("X-User-Id", userIdHeader);
            }
        }).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @Test
    void rotatingXUserIdGivesAGuesserNoFreshQuotaOnAnAccount() {
        // an account of this run's own: the gateway's copy of blocks outlives the Redis emptied between tests
        String account = "alice-" + System.nanoTime();
        int reachedTheBackend = 0;
        for (int guess = 0; guess < 50; guess++) {
            int status = login("rotating-" + guess, body(account, "wrong")).returnResult(String.class)
                    .getStatus().value();
            if (status == 401) {
                reachedTheBackend++;
            } else {
                assertThat(status).as("guess %d", guess).isIn(429, 403);
            }
        }
        System.out.printf("FIGURES login lockout: %d of 50 guesses with a rotating X-User-Id reached the backend%n",
                reachedTheBackend);
        assertThat(reachedTheBackend).isEqualTo(5);
        // the account's owner is locked out too (case aside, the same account): that is what a lockout is; the 45
        // refused guesses scored the account up to a block
        login(null, body(account.toUpperCase(Locale.ROOT), "right")).expectStatus().isForbidden();
        gateway.backend().verify(5, postRequestedFor(urlEqualTo("/auth/login")));
    }

    @Test
    void oneAddressGuessingAcrossManyAccountsIsLimitedToo() {
        int reachedTheBackend = 0;
        for (int account = 0; account < 40; account++) {
            if (login(null, body("account-" + account, "wrong")).returnResult(String.class).getStatus()
                    .value() == 401) {
                reachedTheBackend++;
            }
        }
        assertThat(reachedTheBackend).as("failed logins per client address in 15 minutes").isEqualTo(30);
        // a refusal by the address spends nothing of the account's own quota (it was given back)
        assertThat(gateway.redis().keys("*account-39*")).allSatisfy(key -> assertThat(key).doesNotContain(":s:"));
    }

    @Test
    void successfulLoginsSpendNothingAndTheBodyReachesTheBackendAsSent() {
        String sent = "{ \"username\" : \"bob\",\n \"password\": \"right\", \"note\": \"caf\\u00e9 \u2728\" }";
        for (int i = 0; i < 10; i++) {
            login(null, sent).expectStatus().isOk().expectBody(String.class).isEqualTo("welcome");
        }
        gateway.backend().verify(10, postRequestedFor(urlEqualTo("/auth/login")).withRequestBody(equalToJson(sent)));
        gateway.backend().verify(10, postRequestedFor(urlEqualTo("/auth/login"))
                .withRequestBody(equalTo(sent)));
    }

    @Test
    void aLoginWithoutItsAccountIsRefusedAndNeverForwarded() {
        for (String bad : new String[] {"{\"password\":\"x\"}", "not json", "{\"username\":{\"x\":1}}",
                "{\"username\":\"{u:victim}\"}", "{\"username\":\"\"}"}) {
            login("whoever", bad).expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:bad-request");
        }
        gateway.backend().verify(0, postRequestedFor(urlEqualTo("/auth/login")));
        assertThat(gateway.redis().keys("ag:*")).isEmpty();
    }
}
