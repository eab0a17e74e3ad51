package dev.abuseguard.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abuseguard.policy.TrustedProxies;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/**
 * A client without a user id is limited as {@code ~ip:<address>}. The address must be one the client cannot choose:
 * the connection's own, or, behind trusted proxies, the hop the nearest untrusted party wrote into
 * X-Forwarded-For; everything further left was written by the client and must never pick whose state it spends.
 */
class AnonymousIdentityTest {

    private static final TrustedProxies PROXIES = TrustedProxies.parse(List.of("10.0.0.0/8", "2001:db8:ffff::/48"));

    private static MockServerHttpRequest.BaseBuilder<?> from(String peer) {
        return MockServerHttpRequest.get("/open").remoteAddress(new InetSocketAddress(peer, 40000));
    }

    private static String identity(MockServerHttpRequest request, TrustedProxies trusted) {
        return AnonymousIdentity.of(request, trusted, "X-User-Id");
    }

    @Test
    void withoutTrustedProxiesTheIdentityIsThePeerAddressWhateverXForwardedForClaims() {
        assertThat(identity(from("192.0.2.7").build(), TrustedProxies.none())).isEqualTo("~ip:192.0.2.7");
        assertThat(identity(from("192.0.2.7").header("X-Forwarded-For", "198.51.100.1").build(),
                TrustedProxies.none())).isEqualTo("~ip:192.0.2.7");
    }

    @Test
    void aPeerThatIsNotATrustedProxyIsTheClientEvenWhenItSendsXForwardedFor() {
        assertThat(identity(from("192.0.2.7").header("X-Forwarded-For", "10.0.0.1, 198.51.100.1").build(), PROXIES))
                .isEqualTo("~ip:192.0.2.7");
    }

    @Test
    void ipv6AddressesAreWrittenInTheirShortFormAndV4MappedOnesAsV4() {
        assertThat(identity(from("2001:0db8:0000:0000:0000:0000:0000:0001").build(), TrustedProxies.none()))
                .isEqualTo("~ip:2001:db8::1");
        assertThat(identity(from("::ffff:192.0.2.7").build(), TrustedProxies.none()))
                .as("one client, one identity, whichever socket family it arrived on").isEqualTo("~ip:192.0.2.7");
        assertThat(AnonymousIdentity.isWellFormed("~ip:2001:db8::1")).isTrue();
    }

    @Test
    void behindATrustedProxyTheRightmostUntrustedHopIsTheClient() {
        assertThat(identity(from("10.0.0.2").header("X-Forwarded-For", "198.51.100.9").build(), PROXIES))
                .isEqualTo("~ip:198.51.100.9");
        // the client wrote 203.0.113.66 itself; the proxies appended the address they saw, 198.51.100.9, then 10.1.1.1
        assertThat(identity(from("10.0.0.2").header("X-Forwarded-For", "203.0.113.66, 198.51.100.9, 10.1.1.1")
                .build(), PROXIES)).isEqualTo("~ip:198.51.100.9");
        assertThat(identity(from("2001:db8:ffff::2").header("X-Forwarded-For", "[2001:db8:1::5]").build(), PROXIES))
                .as("an IPv6 hop in brackets").isEqualTo("~ip:2001:db8:1::5");
    }

    @Test
    void severalXForwardedForHeadersAreReadAsOneListLastHeaderFirst() {
        MockServerHttpRequest request = from("10.0.0.2")
                .header("X-Forwarded-For", "203.0.113.66", "198.51.100.9, 10.1.1.1").build();
        assertThat(identity(request, PROXIES)).isEqualTo("~ip:198.51.100.9");
        MockServerHttpRequest onlyProxiesInTheLast = from("10.0.0.2")
                .header("X-Forwarded-For", "203.0.113.66", "10.9.9.9, 10.1.1.1").build();
        assertThat(identity(onlyProxiesInTheLast, PROXIES)).isEqualTo("~ip:203.0.113.66");
    }

    @Test
    void whatTheClientWroteLeftOfTheFirstUntrustedHopIsNeverRead() {
        assertThat(identity(from("10.0.0.2").header("X-Forwarded-For", "not-an-address, 198.51.100.9").build(),
                PROXIES)).isEqualTo("~ip:198.51.100.9");
    }

    @Test
    void whenEveryHopIsATrustedProxyTheLeftmostIsTheClient() {
        assertThat(identity(from("10.0.0.2").header("X-Forwarded-For", "10.7.7.7, 10.1.1.1").build(), PROXIES))
                .isEqualTo("~ip:10.7.7.7");
    }

    @Test
    void aTrustedProxyWithoutXForwardedForIsItselfTheClient() {
        assertThat(identity(from("10.0.0.2").build(), PROXIES)).isEqualTo("~ip:10.0.0.2");
    }

    /** A host name is never looked up (that would let a client make the gateway ask DNS), and garbage is no hop. */
    @ParameterizedTest
    @ValueSource(strings = {"localhost", "evil.example", "198.51.100.9:4000", "256.0.0.1", "198.51.100.9, ", "unknown",
            "198.51.100.9;10.1.1.1", "{u:victim}"})
    void aHopThatIsNotAnIpAddressFromATrustedProxyIsBadInputNamingXForwardedFor(String forwarded) {
        assertThatThrownBy(() -> identity(from("10.0.0.2").header("X-Forwarded-For", forwarded).build(), PROXIES))
                .isInstanceOfSatisfying(BadInput.class, bad -> assertThat(bad.field()).isEqualTo("X-Forwarded-For"))
                .hasMessage("The X-Forwarded-For header from a trusted proxy must list IP addresses only.");
    }

    @Test
    void withoutAClientAddressTheIdentityHeaderIsRequired() {
        assertThatThrownBy(() -> identity(MockServerHttpRequest.get("/open").build(), PROXIES))
                .isInstanceOfSatisfying(BadInput.class, bad -> assertThat(bad.field()).isEqualTo("X-User-Id"))
                .hasMessage("The X-User-Id header is required (client address unknown).");
        MockServerHttpRequest unresolved = MockServerHttpRequest.get("/open")
                .remoteAddress(InetSocketAddress.createUnresolved("client.example", 40000)).build();
        assertThatThrownBy(() -> identity(unresolved, PROXIES)).isInstanceOf(BadInput.class);
    }

    @Test
    void onlyIdentitiesShapedAsThisClassWritesThemAreWellFormed() {
        assertThat(AnonymousIdentity.isWellFormed("~ip:192.0.2.7")).isTrue();
        assertThat(AnonymousIdentity.isWellFormed("~ip:::1")).isTrue();
        for (String bad : List.of("~ip:999.0.0.1", "~ip:example", "~ip:1", "~ip:", "ip:192.0.2.7", "~ip:192.0.2.7 ",
                "~ip:192.0.2.7}", "~k:login:alice", "~ip:" + "1".repeat(46))) {
            assertThat(AnonymousIdentity.isWellFormed(bad)).as(bad).isFalse();
        }
    }
}
