package dev.abuseguard.filter;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Finds who is asking: the identity header, validated. Whatever the configured pattern says, braces,
 * white space and control characters never pass, so a user id cannot break out of its Redis hash tag.
 */
public final class IdentityResolver {

    private static final Pattern NEVER_ALLOWED = Pattern.compile("[{}\\s\\p{Cntrl}]");
    private static final int MAX_LENGTH = 128;

    private final String header;
    private final Pattern pattern;

    public IdentityResolver(String header, String pattern) {
        this.header = header;
        this.pattern = Pattern.compile(pattern);
    }

    String resolve(ServerHttpRequest request, IdentityFallback fallback) {
        List<String> values = request.getHeaders().get(header);
        if (values == null || values.isEmpty() || values.get(0).isEmpty()) {
            if (fallback == IdentityFallback.CLIENT_IP) {
                return clientIp(request);
            }
            throw new BadInput(header, "The " + header + " header is required.");
        }
        if (values.size() > 1) {
            throw new BadInput(header, "The " + header + " header must be sent once.");
        }
        String id = values.get(0);
        if (id.length() > MAX_LENGTH || NEVER_ALLOWED.matcher(id).find() || !pattern.matcher(id).matches()) {
            throw new BadInput(header, "The " + header + " header must match " + pattern.pattern()
                    + " (at most " + MAX_LENGTH + " characters; no braces, spaces or control characters).");
        }
        return id;
    }

    private String clientIp(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null || remote.getAddress() == null) {
            throw new BadInput(header, "The " + header + " header is required (client address unknown).");
        }
        return "ip:" + remote.getAddress().getHostAddress();
    }
}
