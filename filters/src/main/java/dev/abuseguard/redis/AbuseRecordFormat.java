package dev.abuseguard.redis;

import dev.abuseguard.abuse.AbuseScoring;
import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.abuse.UserStanding;

/**
 * Reads the abuse record the Lua scripts keep per user (twin of {@code abuse-record.lua}):
 * {@code score:blocked_until:violations:last_at:last_action} (blocked_until: 0 not blocked, -1 until lifted,
 * -2 banned until unbanned, else epoch ms).
 */
public final class AbuseRecordFormat {

    private AbuseRecordFormat() {
    }

    /** The user as the admin sees them at {@code now}: decay applied, as a decision would apply it. */
    public static UserStanding parse(String userId, String record, long nowMillis, ScoringRules rules) {
        String[] fields = record.split(":", 5);
        return AbuseScoring.standing(userId, Long.parseLong(fields[0]), Long.parseLong(fields[1]),
                Long.parseLong(fields[2]), fields[4], Long.parseLong(fields[3]), nowMillis, rules);
    }
}
