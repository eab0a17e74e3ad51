package dev.abuseguard.abuse;

import java.util.List;

/**
 * A user's standing: score, block and recent violations (newest last). Immutable.
 *
 * @param blockedUntil {@link #NOT_BLOCKED}, {@link #UNTIL_LIFTED} (automatic block), {@link #BANNED}
 *                     (admin ban until unbanned), or the epoch ms at which a timed block ends
 */
public record AbuseRecord(long score, long blockedUntil, long totalViolations, List<Violation> history) {

    public static final long NOT_BLOCKED = 0;
    public static final long UNTIL_LIFTED = -1;
    public static final long BANNED = -2;
    public static final AbuseRecord CLEAN = new AbuseRecord(0, NOT_BLOCKED, 0, List.of());

    public AbuseRecord {
        history = List.copyOf(history);
    }

    public boolean blockedAt(long nowMillis) {
        return blockedUntil < 0 || blockedUntil > nowMillis;
    }

    /** Time until the block ends, or -1 when it lasts until an admin lifts it. */
    public long blockRemainingMillis(long nowMillis) {
        return blockedUntil < 0 ? -1 : Math.max(0, blockedUntil - nowMillis);
    }

    long violationsSince(long sinceMillisExclusive) {
        return history.stream().filter(v -> v.atMillis() > sinceMillisExclusive).count();
    }
}
