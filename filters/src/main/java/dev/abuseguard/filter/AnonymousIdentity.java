package dev.abuseguard.filter;

import dev.abuseguard.policy.TrustedProxies;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The identity of a client without a user id, on a route with {@code identity-fallback: client-ip}:
 * {@code ~ip:<address>}. No user id can ever contain {@value #MARK} (the identity check refuses it whatever the
 * configured pattern), so no header value names an anonymous client's state, and no anonymous client a user's.
 * The address is the connection's own, or, when the connection comes from a trusted proxy, the last address in
 * {@code X-Forwarded-For} that is not itself a trusted proxy (the entries before it were written by the client
 * and prove nothing).
 */
public final class AnonymousIdentity {

    /** Never in a user id: marks the anonymous namespace. */
    public static final char MARK = '~';
    public static final String PREFIX = MARK + "ip:";

    private static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final Pattern WELL_FORMED = Pattern.compile("~ip:[0-9A-Fa-f.:]{2,45}");

    private AnonymousIdentity() {
    }

    /** Whether {@code id} is an anonymous identity as this class writes them (for the admin API). */
    public static boolean isWellFormed(String id) {
        return WELL_FORMED.matcher(id).matches() && TrustedProxies.literal(id.substring(PREFIX.length())) != null;
    }

    static String of(ServerHttpRequest request, TrustedProxies trusted, String identityHeader) {
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress peer = remote == null ? null : remote.getAddress();
        if (peer == null) {
            throw new BadInput(identityHeader, "The " + identityHeader
                    + " header is required (client address unknown).");
        }
        peer = TrustedProxies.literal(peer.getHostAddress());
        InetAddress client = trusted.isEmpty() || !trusted.contains(peer) ? peer : forwardedClient(request, trusted,
                peer);
        return PREFIX + NetUtil.toAddressString(client);
    }

    /** Right to left through every X-Forwarded-For value: the first hop that is not a trusted proxy. */
    private static InetAddress forwardedClient(ServerHttpRequest request, TrustedProxies trusted, InetAddress peer) {
        List<String> values = request.getHeaders().get(FORWARDED_FOR);
        if (values == null) {
            return peer;
        }
        InetAddress client = peer;
        for (int v = values.size() - 1; v >= 0; v--) {
            String[] hops = values.get(v).split(",");
            for (int h = hops.length - 1; h >= 0; h--) {
                InetAddress hop = TrustedProxies.literal(hops[h].trim());
                if (hop == null) {
                    throw new BadInput(FORWARDED_FOR, "The " + FORWARDED_FOR
                            + " header from a trusted proxy must list IP addresses only.");
                }
                client = hop;
                if (!trusted.contains(hop)) {
                    return hop;
                }
            }
        }
        return client;
    }
}
