package dev.abuseguard.abuse;

import java.util.List;

/**
 * A user's standing: score, block and recent violations (newest last). Immutable.
 *
 * @param blockedUntil {@link #NOT_BLOCKED}, {@link #UNTIL_LIFTED} (automatic block), {@link #BANNED}
 *                     (admin ban until unbanned), or the epoch ms at which a timed block ends
 * @param blocks       the automatic blocks of the user while this record is kept: what makes bans grow
 */
public record AbuseRecord(long score, long blockedUntil, long totalViolations, List<Violation> history, long blocks) {

    public static final long NOT_BLOCKED = 0;
    public static final long UNTIL_LIFTED = -1;
    public static final long BANNED = -2;
    public static final AbuseRecord CLEAN = new AbuseRecord(0, NOT_BLOCKED, 0, List.of(), 0);

    public AbuseRecord {
        history = List.copyOf(history);
    }

    /** The same record with another block end (a ban, an unban), the count of automatic blocks kept. */
    public AbuseRecord withBlockedUntil(long until) {
        return new AbuseRecord(score, until, totalViolations, history, blocks);
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
