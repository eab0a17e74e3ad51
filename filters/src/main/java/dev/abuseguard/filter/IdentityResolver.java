package dev.abuseguard.filter;

import dev.abuseguard.policy.TrustedProxies;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Finds who is asking: the identity header, validated. Whatever the configured pattern says, braces,
 * white space and control characters never pass, so a user id cannot break out of its Redis hash tag, and
 * neither does {@code ~}, which marks the anonymous clients' own namespace ({@link AnonymousIdentity}).
 */
public final class IdentityResolver {

    /** Never in a user id, whatever the pattern; shared with the admin API's check. */
    public static final Pattern NEVER_ALLOWED = Pattern.compile("[{}~\\s\\p{Cntrl}]");
    private static final int MAX_LENGTH = 128;
    private static final Pattern KEYED = Pattern.compile("~k:[a-z0-9_-]{1,64}:(.+)");

    private final String header;
    private final Pattern pattern;
    private final TrustedProxies trustedProxies;

    public IdentityResolver(String header, String pattern) {
        this(header, pattern, TrustedProxies.none());
    }

    public IdentityResolver(String header, String pattern, TrustedProxies trustedProxies) {
        this.header = header;
        this.pattern = Pattern.compile(pattern);
        this.trustedProxies = trustedProxies;
    }

    /**
     * Whether {@code id} may name a user: at most 128 characters, matching the configured pattern, and none of
     * the characters never allowed. The one check of ids, for requests and for the admin API alike.
     */
    public static boolean isValid(String id, Pattern pattern) {
        return id.length() <= MAX_LENGTH && !NEVER_ALLOWED.matcher(id).find() && pattern.matcher(id).matches();
    }

    /** Whether {@code id} is a key a route read from a request ({@code ~k:<action>:<value>}), for the admin API. */
    public static boolean isKeyed(String id, Pattern pattern) {
        Matcher keyed = KEYED.matcher(id);
        return keyed.matches() && isValid(keyed.group(1), pattern);
    }

    String resolve(ServerHttpRequest request, IdentityFallback fallback) {
        List<String> values = request.getHeaders().get(header);
        // a second value makes a duplicate even when the first is empty: "no id" must not be read from half of it
        if (values != null && values.size() > 1) {
            throw new BadInput(header, "The " + header + " header must be sent once.");
        }
        if (values == null || values.isEmpty() || values.get(0).isEmpty()) {
            if (fallback == IdentityFallback.CLIENT_IP) {
                return AnonymousIdentity.of(request, trustedProxies, header);
            }
            throw new BadInput(header, "The " + header + " header is required.");
        }
        String id = values.get(0);
        if (!isValid(id, pattern)) {
            throw new BadInput(header, "The " + header + " header must match " + pattern.pattern()
                    + " (at most " + MAX_LENGTH + " characters; no braces, '~', spaces or control characters).");
        }
        return id;
    }
}
