package dev.abuseguard.trends;

/** A user and their rate-limit violations over the last hour. */
public record Offender(String userId, long violations) {
}
