package dev.abuseguard.filter;

import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.Scope;
import dev.abuseguard.policy.Action;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpHeaders;

/**
 * Renders a decision as the contract's response headers, for one route. The only place headers are written:
 * the X-RateLimit-* family as Discord writes it, and the IETF {@code RateLimit-Policy} / {@code RateLimit}
 * Structured Field Lists (draft-ietf-httpapi-ratelimit-headers -11/-12) unless turned off.
 */
final class RateLimitHeaders {

    static final String LIMIT = "X-RateLimit-Limit";
    static final String REMAINING = "X-RateLimit-Remaining";
    static final String RESET_AFTER = "X-RateLimit-Reset-After";
    static final String RESET = "X-RateLimit-Reset";
    static final String BUCKET = "X-RateLimit-Bucket";
    static final String SCOPE = "X-RateLimit-Scope";
    /** Discord's mark of a global 429: its clients hold every request back on it, whatever the scope says. */
    static final String GLOBAL = "X-RateLimit-Global";
    static final String ABUSE_SCORE = "X-Abuse-Score";
    static final String ABUSE_BLOCKED = "X-Abuse-Blocked";
    static final String IETF_POLICY = "RateLimit-Policy";
    static final String IETF_LIMIT = "RateLimit";

    private final String routeId;
    private final boolean ietf;
    private final Clock clock;
    /** One entry per action of the route: bounded by the route's configuration. */
    private final Map<String, String> buckets = new ConcurrentHashMap<>();

    RateLimitHeaders(String routeId, boolean ietf, Clock clock) {
        this.routeId = routeId == null ? "" : routeId;
        this.ietf = ietf;
        this.clock = clock;
    }

    void allowed(HttpHeaders headers, Action action, Decision decision) {
        headers.set(LIMIT, Long.toString(decision.limit()));
        headers.set(REMAINING, Long.toString(decision.remaining()));
        headers.set(RESET_AFTER, decimalSeconds(decision.resetAfterMillis()));
        headers.set(RESET, decimalSeconds(clock.millis() + Math.max(0, decision.resetAfterMillis())));
        headers.set(BUCKET, buckets.computeIfAbsent(action.name(), this::bucket));
        if (decision.abuseScore() >= 0) { // a global limit's refusal does not read the user's score
            headers.set(ABUSE_SCORE, Long.toString(decision.abuseScore()));
        }
        if (ietf) {
            // Action names are [a-z0-9_-], so they need no escaping inside an sf-string.
            Duration window = decision.scope() == Scope.GLOBAL && action.policy().global() != null
                    ? action.policy().global().window() : action.policy().window();
            headers.set(IETF_POLICY, '"' + action.name() + "\";q=" + decision.limit() + ";w="
                    + wholeSeconds(window.toMillis()));
            headers.set(IETF_LIMIT, '"' + action.name() + "\";r=" + decision.remaining() + ";t="
                    + wholeSeconds(decision.resetAfterMillis()));
        }
    }

    void rateLimited(HttpHeaders headers, Action action, Decision decision) {
        allowed(headers, action, decision);
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(decision.retryAfterMillis())));
        headers.set(SCOPE, decision.scope().wireName());
        if (decision.scope() == Scope.GLOBAL) {
            headers.set(GLOBAL, "true");
        }
    }

    static void blocked(HttpHeaders headers, Decision decision) {
        headers.set(ABUSE_SCORE, Long.toString(decision.abuseScore()));
        headers.set(ABUSE_BLOCKED, "true");
        if (decision.retryAfterMillis() >= 0) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(decision.retryAfterMillis())));
        }
    }

    static void storeUnavailable(HttpHeaders headers, Decision decision) {
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(decision.retryAfterMillis())));
    }

    /**
     * Opaque and stable per route and action, as Discord's bucket hash: clients group their queues by it,
     * and it tells nothing about the configuration.
     */
    private String bucket(String action) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((routeId + '\n' + action).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** Whole seconds, rounded up, at least 1: a client that waits that long gets a fresh answer. */
    static long retryAfterSeconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /** Whole seconds rounded up, 0 allowed: sf-integers for the IETF fields. */
    static long wholeSeconds(long millis) {
        return (Math.max(0, millis) + 999) / 1000;
    }

    /** Seconds with millisecond precision, as Discord writes them: 1500 ms -> "1.500". */
    static String decimalSeconds(long millis) {
        long ms = Math.max(0, millis);
        long fraction = ms % 1000;
        return (ms / 1000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
