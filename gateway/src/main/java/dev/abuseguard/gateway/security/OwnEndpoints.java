package dev.abuseguard.gateway.security;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The gateway's own endpoints ({@code /admin/**}, {@code /actuator/**}) as against proxied traffic: what is
 * secured, firewalled in full and timed, where a proxied request pays for none of it.
 */
public final class OwnEndpoints {

    private static final String[] PREFIXES = {"/admin", "/actuator"};

    private OwnEndpoints() {
    }

    public static boolean contains(ServerHttpRequest request) {
        String path = request.getPath().value();
        for (String prefix : PREFIXES) {
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return true;
            }
        }
        return false;
    }
}
