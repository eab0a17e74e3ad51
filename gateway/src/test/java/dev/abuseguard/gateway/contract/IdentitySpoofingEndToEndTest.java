package dev.abuseguard.gateway.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.gateway.testsupport.RawHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped {@code /auth/**} route limits clients without a user id by their address. An attacker who names
 * that address in {@code X-User-Id}, who sends an empty id and then a real one, or who writes
 * {@code X-Forwarded-For} himself, spends and blocks nobody's quota but his own. The gateway trusts
 * {@code 127.0.0.1} as a proxy; test clients connect from {@code 127.0.0.2} (not trusted) or {@code 127.0.0.1}.
 */
class IdentitySpoofingEndToEndTest {

    private static final String ATTACKER = "127.0.0.2";
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onShippedRoutes()
            .with("--abuse-guard.identity.trusted-proxies=127.0.0.1/32");

    @BeforeEach
    void reset() {
        gateway.flushTrends(); // the earlier tests' counts, which would otherwise reach Redis during this one
        gateway.redis().flushAll();
        gateway.backend().resetRequests();
    }

    private static RawHttp.Answer register(String from, String headers) {
        return RawHttp.sendFrom(from, gateway.port(), "POST", "/auth/register", headers, "");
    }

    @Test
    void aUserIdSpelledLikeAnAnonymousClientSpendsAndBlocksOnlyItself() {
        String spoof = "X-User-Id: ip:" + ATTACKER + "\r\n";
        for (int i = 0; i < 10; i++) {
            assertThat(register(ATTACKER, spoof).status()).isEqualTo(200);
        }
        for (String score : new String[] {"10", "25", "45", "70", "100"}) {
            assertThat(register(ATTACKER, spoof).header("X-Abuse-Score")).isEqualTo(score);
        }
        assertThat(register(ATTACKER, spoof).status()).as("the spoofing id is blocked").isEqualTo(403);

        RawHttp.Answer anonymous = register(ATTACKER, "");
        assertThat(anonymous.status()).as("the anonymous client at that address").isEqualTo(200);
        assertThat(anonymous.header("X-RateLimit-Remaining")).isEqualTo("9");
        assertThat(anonymous.header("X-Abuse-Score")).isEqualTo("0");
        assertThat(gateway.redis().keys("ag:{u:~ip:" + ATTACKER + "}:*")).isNotEmpty();
    }

    @Test
    void theAnonymousNamespaceCannotBeNamedInTheHeader() {
        RawHttp.Answer named = register(ATTACKER, "X-User-Id: ~ip:" + ATTACKER + "\r\n");

        assertThat(named.status()).isEqualTo(400);
        assertThat(named.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(named.body()).contains("\"field\":\"X-User-Id\"");
        assertThat(gateway.redis().keys("ag:*")).isEmpty();
        gateway.backend().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anEmptyUserIdFollowedByAnotherIsADuplicatedHeader() {
        RawHttp.Answer duplicated = register(ATTACKER, "X-User-Id: \r\nX-User-Id: victim\r\n");

        assertThat(duplicated.status()).isEqualTo(400);
        assertThat(duplicated.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(duplicated.body()).contains("\"field\":\"X-User-Id\"").contains("must be sent once");
        assertThat(gateway.redis().keys("ag:*")).as("nothing stored").isEmpty();
        gateway.backend().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void forwardedForFromAnUntrustedClientIsIgnored() {
        for (int i = 0; i < 3; i++) {
            register(ATTACKER, "X-Forwarded-For: 198.51.100.7\r\n");
        }

        assertThat(gateway.redis().keys("ag:{u:~ip:198.51.100.7}:*")).as("the address the client wrote").isEmpty();
        assertThat(register(ATTACKER, "").header("X-RateLimit-Remaining"))
                .as("the connection's own address paid for all three").isEqualTo("6");
    }

    @Test
    void forwardedForFromATrustedProxyNamesTheClientTheProxySaw() {
        // the client wrote 203.0.113.9 itself; the proxy appended the address it saw, then its own hop
        String forwarded = "X-Forwarded-For: 203.0.113.9, 198.51.100.8, 127.0.0.1\r\n";
        RawHttp.Answer first = register("127.0.0.1", forwarded);

        assertThat(first.status()).isEqualTo(200);
        assertThat(gateway.redis().keys("ag:{u:~ip:198.51.100.8}:*")).isNotEmpty();
        assertThat(gateway.redis().keys("ag:{u:~ip:203.0.113.9}:*")).isEmpty();
        assertThat(gateway.redis().keys("ag:{u:~ip:127.0.0.1}:*")).isEmpty();
        assertThat(register("127.0.0.1", "X-Forwarded-For: 198.51.100.8\r\n").header("X-RateLimit-Remaining"))
                .isEqualTo("8");

        RawHttp.Answer garbage = register("127.0.0.1", "X-Forwarded-For: evil.example\r\n");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.body()).contains("\"field\":\"X-Forwarded-For\"");
    }
}
