package dev.abuseguard.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * abuse-guard.identity.trusted-proxies: the proxies whose X-Forwarded-For is believed. A block one bit too wide lets
 * clients choose their identity, so the edges of each prefix are tested; a bad entry stops start-up naming itself.
 */
class TrustedProxiesTest {

    private static InetAddress ip(String text) {
        InetAddress address = TrustedProxies.literal(text);
        assertThat(address).as(text).isNotNull();
        return address;
    }

    @Test
    void noEntriesTrustNobody() {
        assertThat(TrustedProxies.parse(null).isEmpty()).isTrue();
        assertThat(TrustedProxies.parse(List.of()).isEmpty()).isTrue();
        assertThat(TrustedProxies.none().isEmpty()).isTrue();
        assertThat(TrustedProxies.none().contains(ip("10.0.0.1"))).isFalse();
    }

    @Test
    void anIpv4CidrHoldsExactlyItsAddresses() {
        TrustedProxies proxies = TrustedProxies.parse(List.of("10.0.0.0/8"));
        assertThat(proxies.isEmpty()).isFalse();
        assertThat(proxies.contains(ip("10.0.0.0"))).isTrue();
        assertThat(proxies.contains(ip("10.255.255.255"))).isTrue();
        assertThat(proxies.contains(ip("11.0.0.0"))).isFalse();
        assertThat(proxies.contains(ip("9.255.255.255"))).isFalse();
    }

    @Test
    void aPrefixThatIsNotAWholeByteIsMaskedBitByBit() {
        TrustedProxies proxies = TrustedProxies.parse(List.of("172.16.0.0/12", "192.168.1.128/25"));
        assertThat(proxies.contains(ip("172.16.0.1"))).isTrue();
        assertThat(proxies.contains(ip("172.31.255.255"))).isTrue();
        assertThat(proxies.contains(ip("172.32.0.0"))).isFalse();
        assertThat(proxies.contains(ip("172.15.255.255"))).isFalse();
        assertThat(proxies.contains(ip("192.168.1.128"))).isTrue();
        assertThat(proxies.contains(ip("192.168.1.255"))).isTrue();
        assertThat(proxies.contains(ip("192.168.1.127"))).isFalse();
    }

    @Test
    void aSingleAddressHoldsOnlyItself() {
        TrustedProxies proxies = TrustedProxies.parse(List.of(" 192.0.2.7 ", "2001:db8::5"));
        assertThat(proxies.contains(ip("192.0.2.7"))).isTrue();
        assertThat(proxies.contains(ip("192.0.2.6"))).isFalse();
        assertThat(proxies.contains(ip("192.0.2.8"))).isFalse();
        assertThat(proxies.contains(ip("2001:db8::5"))).isTrue();
        assertThat(proxies.contains(ip("2001:db8::4"))).isFalse();
        assertThat(proxies.contains(ip("::ffff:192.0.2.7"))).as("the same address, v4-mapped").isTrue();
    }

    @Test
    void anIpv6CidrHoldsExactlyItsAddressesAndNoIpv4Ones() {
        TrustedProxies proxies = TrustedProxies.parse(List.of("2001:db8::/32", "fd00::/7"));
        assertThat(proxies.contains(ip("2001:db8::1"))).isTrue();
        assertThat(proxies.contains(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(proxies.contains(ip("2001:db9::"))).isFalse();
        assertThat(proxies.contains(ip("fdff::1"))).isTrue();
        assertThat(proxies.contains(ip("fe00::1"))).isFalse();
        // 32.1.13.184 is 2001:0db8 read as four bytes: the families never match each other
        assertThat(proxies.contains(ip("32.1.13.184"))).isFalse();
        assertThat(TrustedProxies.parse(List.of("0.0.0.0/0")).contains(ip("2001:db8::1"))).isFalse();
    }

    @Test
    void aZeroPrefixHoldsItsWholeFamily() {
        assertThat(TrustedProxies.parse(List.of("0.0.0.0/0")).contains(ip("203.0.113.9"))).isTrue();
        assertThat(TrustedProxies.parse(List.of("::/0")).contains(ip("2001:db8::1"))).isTrue();
    }

    @Test
    void aV4MappedEntryIsTheIpv4Block() {
        TrustedProxies proxies = TrustedProxies.parse(List.of("::ffff:10.0.0.0/8"));
        assertThat(proxies.contains(ip("10.1.2.3"))).isTrue();
        assertThat(proxies.contains(ip("11.1.2.3"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "proxy.example", "localhost", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/",
            "10.0.0.0/-1", "10.0.0.0/8x", "10.0.0.0/ 8", "10.0.0.256", "10.0.0", "10.0.0.0/0008", "10.0.0.0/8/8",
            "*", "10.0.0.*"})
    void anEntryThatIsNotAnAddressOrACidrIsRefusedNamingTheFieldAndItsIndex(String entry) {
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("10.0.0.0/8", entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("abuse-guard.identity.trusted-proxies[1]: '" + entry.trim() + "' is not an address or a "
                        + "CIDR (such as 10.0.0.0/8 or 2001:db8::/32)");
    }

    @Test
    void aMissingEntryIsRefusedToo() {
        assertThatThrownBy(() -> TrustedProxies.parse(Arrays.asList((String) null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("abuse-guard.identity.trusted-proxies[0]: '' is not");
    }

    @Test
    void literalsAreParsedWithoutEverAskingDns() {
        assertThat(TrustedProxies.literal("localhost")).isNull();
        assertThat(TrustedProxies.literal("example.com")).isNull();
        assertThat(TrustedProxies.literal("")).isNull();
        assertThat(TrustedProxies.literal(null)).isNull();
        assertThat(TrustedProxies.literal("[2001:db8::1]")).isEqualTo(ip("2001:db8::1"));
        assertThat(TrustedProxies.literal("::ffff:192.0.2.7").getAddress()).hasSize(4)
                .isEqualTo(new byte[] {(byte) 192, 0, 2, 7});
    }
}
