package dev.abuseguard.redis;

import dev.abuseguard.abuse.AbuseScoring;
import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.abuse.UserStanding;

/**
 * Reads the abuse record the Lua scripts keep per user (twin of {@code abuse-record.lua}):
 * {@code score:blocked_until:violations:last_at:last_action[:blocks]} (blocked_until: 0 not blocked, -1 until
 * lifted, -2 banned until unbanned, else epoch ms; blocks: the automatic blocks while the record is kept, absent
 * when 0).
 */
public final class AbuseRecordFormat {

    private AbuseRecordFormat() {
    }

    /** The user as the admin sees them at {@code now}: decay applied, as a decision would apply it. */
    public static UserStanding parse(String userId, String record, long nowMillis, ScoringRules rules) {
        String[] fields = record.split(":", 5);
        String lastAction = fields[4];
        long blocks = 0;
        int colon = lastAction.indexOf(':'); // action names never hold one
        if (colon >= 0) {
            blocks = Long.parseLong(lastAction.substring(colon + 1));
            lastAction = lastAction.substring(0, colon);
        }
        return AbuseScoring.standing(userId, Long.parseLong(fields[0]), Long.parseLong(fields[1]),
                Long.parseLong(fields[2]), lastAction, Long.parseLong(fields[3]), blocks, nowMillis, rules);
    }
}
