package dev.abuseguard.gateway.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.gateway.testsupport.RawHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped {@code routes.yml} guards {@code /auth/login} with the lockout action {@code failed_login}
 * (limit 5) and the rest of {@code /auth/**} with the laxer {@code login_attempt} (limit 10). A guesser who
 * spells the login path so that the gateway routes it to {@code /auth/**} while the login backend still reads
 * it as its login (a trailing slash, capitals, encoded characters, dot segments) must get a 400 with a problem
 * body, and the backend nothing. Requests go out byte for byte ({@link RawHttp}).
 */
class PathSpellingEndToEndTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onShippedRoutes();

    @BeforeEach
    void reset() {
        gateway.flushTrends(); // the earlier tests' counts, which would otherwise reach Redis during this one
        gateway.redis().flushAll();
        gateway.backend().resetRequests();
    }

    private static RawHttp.Answer post(String path) {
        return RawHttp.send(gateway.port(), "POST", path, "X-User-Id: guesser\r\n", "");
    }

    /**
     * A login as the shipped route reads it: the account in the JSON body. Only where the request is forwarded:
     * a refusal answered before the body is read closes a {@code Connection: close} request with the body
     * unread, which the client may see as a reset before the answer.
     */
    private static RawHttp.Answer login(String path) {
        return RawHttp.send(gateway.port(), "POST", path, "Content-Type: application/json\r\n",
                "{\"username\":\"guesser\",\"password\":\"x\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/auth/login/", "/auth/login//", "/auth/LOGIN", "/auth/Login", "/auth/%4Cogin",
            "/auth/%4c%4f%47%49%4e", "/auth/lo%67in/", "/auth//login", "//auth/login", "/auth/./login",
            "/auth/x/../login", "/auth/%2e/login", "/auth/%2E%2E/auth/login", "/auth/login/.", "/auth/login%2F",
            "/auth%2Flogin", "/auth%5Clogin", "/auth/login%252F", "/auth/login;x=1",
            "/auth/login%3B", "/auth/login%00", "/auth/login%0a"})
    void aSpellingOfTheLoginPathIsRefusedAndNeverReachesTheBackend(String spelling) {
        RawHttp.Answer answer = post(spelling);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.body()).contains("\"type\":\"urn:abuse-guard:problem:bad-request\"");
        assertThat(answer.header("X-RateLimit-Limit")).isNull();
        gateway.backend().verify(0, anyRequestedFor(anyUrl()));
        assertThat(gateway.redis().keys("ag:*")).as("nothing stored").isEmpty();
    }

    /** Not even a URI: the HTTP server refuses these itself (a bare 400) before any filter runs. */
    @ParameterizedTest
    @ValueSource(strings = {"/auth\\login", "/auth/login%"})
    void aTargetThatIsNoUriIsRefusedByTheServer(String target) {
        assertThat(post(target).status()).isEqualTo(400);
        gateway.backend().verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/auth/login", "/auth/%6Cogin", "/auth/login?next=/home"})
    void theLoginPathAndSpellingsTheGatewayRoutesAsItKeepTheLockoutAction(String path) {
        RawHttp.Answer answer = login(path);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-RateLimit-Limit")).as("failed_login's limit").isEqualTo("5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/auth/register", "/auth/Register", "/packs/AbC123", "/packs/open/", "/api/cards/X"})
    void ordinaryPathsWithCapitalsOrATrailingSlashStillPass(String path) {
        assertThat(post(path).status()).isEqualTo(200);
    }
}
