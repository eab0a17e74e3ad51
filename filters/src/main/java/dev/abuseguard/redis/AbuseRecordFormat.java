package dev.abuseguard.redis;

import dev.abuseguard.abuse.UserStanding;

/**
 * Reads the abuse record the Lua scripts keep per user: {@code score:blocked_until:violations:last_at:last_action}
 * (blocked_until: 0 not blocked, -1 until lifted, -2 banned until unbanned, else epoch ms).
 */
public final class AbuseRecordFormat {

    private AbuseRecordFormat() {
    }

    public static UserStanding parse(String userId, String record, long nowMillis) {
        String[] fields = record.split(":", 5);
        long blockedUntil = Long.parseLong(fields[1]);
        boolean blocked = blockedUntil < 0 || blockedUntil > nowMillis;
        return new UserStanding(userId, Long.parseLong(fields[0]), blocked, blocked ? Math.max(-1, blockedUntil) : 0,
                Long.parseLong(fields[2]), fields[4], Long.parseLong(fields[3]));
    }
}
