package dev.abuseguard.policy;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies whose {@code X-Forwarded-For} the gateway believes ({@code abuse-guard.identity.trusted-proxies}):
 * CIDRs such as {@code 10.0.0.0/8}, {@code 2001:db8::/32} or a single address. Addresses are parsed as
 * literals only (Netty's parser), so nothing here ever asks DNS.
 */
public final class TrustedProxies {

    private record Block(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefixBits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }

    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = blocks;
    }

    public static TrustedProxies none() {
        return NONE;
    }

    /** @throws IllegalArgumentException naming the entry (by index) that is not a CIDR or an address */
    public static TrustedProxies parse(List<String> cidrs) {
        if (cidrs == null || cidrs.isEmpty()) {
            return NONE;
        }
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < cidrs.size(); i++) {
            String cidr = cidrs.get(i) == null ? "" : cidrs.get(i).trim();
            int slash = cidr.indexOf('/');
            InetAddress address = literal(slash < 0 ? cidr : cidr.substring(0, slash));
            int maxBits = address == null ? 0 : address.getAddress().length * 8;
            int bits = maxBits;
            if (address != null && slash >= 0) {
                String prefix = cidr.substring(slash + 1);
                bits = prefix.matches("\\d{1,3}") ? Integer.parseInt(prefix) : -1;
            }
            if (address == null || bits < 0 || bits > maxBits) {
                throw new IllegalArgumentException("abuse-guard.identity.trusted-proxies[" + i + "]: '" + cidr
                        + "' is not an address or a CIDR (such as 10.0.0.0/8 or 2001:db8::/32)");
            }
            blocks.add(new Block(address.getAddress(), bits));
        }
        return new TrustedProxies(List.copyOf(blocks));
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An IP literal (v4, v6, v4-mapped v6 as v4), or {@code null} when the text is anything else: a host name is
     * never looked up.
     */
    public static InetAddress literal(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(bare);
        if (address == null || address instanceof Inet4Address) {
            return address;
        }
        byte[] bytes = address.getAddress();
        return isV4Mapped(bytes) ? NetUtil.createInetAddressFromIpAddressString(
                (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff))
                : address;
    }

    private static boolean isV4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
    }
}
