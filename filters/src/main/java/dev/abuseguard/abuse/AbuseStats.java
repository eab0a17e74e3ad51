package dev.abuseguard.abuse;

/** The totals the admin dashboard shows. */
public record AbuseStats(long usersTracked, long highAbuse, long blocked, long totalViolations, String store) {
}
