package dev.abuseguard.filter;

import dev.abuseguard.decision.Decision;
import org.springframework.http.HttpHeaders;

/** Renders a decision as the contract's response headers. The only place headers are written. */
final class RateLimitHeaders {

    static final String LIMIT = "X-RateLimit-Limit";
    static final String REMAINING = "X-RateLimit-Remaining";
    static final String RESET_AFTER = "X-RateLimit-Reset-After";
    static final String ABUSE_SCORE = "X-Abuse-Score";
    static final String ABUSE_BLOCKED = "X-Abuse-Blocked";

    private RateLimitHeaders() {
    }

    static void allowed(HttpHeaders headers, Decision decision) {
        headers.set(LIMIT, Long.toString(decision.limit()));
        headers.set(REMAINING, Long.toString(decision.remaining()));
        headers.set(RESET_AFTER, decimalSeconds(decision.resetAfterMillis()));
        headers.set(ABUSE_SCORE, Long.toString(decision.abuseScore()));
    }

    static void rateLimited(HttpHeaders headers, Decision decision) {
        allowed(headers, decision);
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(decision.retryAfterMillis())));
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

    /** Whole seconds, rounded up, at least 1: a client that waits that long gets a fresh answer. */
    static long retryAfterSeconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /** Seconds with millisecond precision, as Discord writes them: 1500 ms -> "1.500". */
    static String decimalSeconds(long millis) {
        long ms = Math.max(0, millis);
        long fraction = ms % 1000;
        return (ms / 1000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
