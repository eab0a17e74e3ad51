package dev.abuseguard.registry;

/** The totals the admin dashboard shows. */
public record AbuseStats(long usersTracked, long highAbuse, long blocked, long totalViolations, String store) {
}
