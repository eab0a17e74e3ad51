package dev.abuseguard.abuse;

/** One request denied by a rate limit, as kept in a user's history. */
public record Violation(long atMillis, String action, long scoreAfter) {
}
