package dev.abuseguard.abuse;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores one violation: the pure function behind both stores (its Lua twin is the tail of every
 * decision script, {@code dev/abuseguard/redis/decide-tail.lua}).
 */
public final class AbuseScoring {

    private AbuseScoring() {
    }

    public static AbuseRecord recordViolation(AbuseRecord prior, long nowMillis, String action, ScoringRules rules) {
        AbuseRecord standing = decayed(prior, nowMillis, rules);
        long recent = prior.violationsSince(nowMillis - rules.repeatWindowMillis());
        long score = standing.score() + rules.pointsFor(recent);
        long blockedUntil = standing.blockedUntil();
        if (score >= rules.blockThreshold()) {
            blockedUntil = rules.blockDurationMillis() > 0
                    ? nowMillis + rules.blockDurationMillis() : AbuseRecord.UNTIL_LIFTED;
        }
        List<Violation> history = new ArrayList<>(prior.history());
        history.add(new Violation(nowMillis, action, score));
        if (history.size() > rules.historySize()) {
            history = history.subList(history.size() - rules.historySize(), history.size());
        }
        return new AbuseRecord(score, blockedUntil, prior.totalViolations() + 1, history);
    }

    /**
     * The record as it stands at {@code now} when scores decay: the score halves every half-life after the
     * last violation (falling linearly within each half-life, integers only, as the Lua twin computes it),
     * and an automatic block lifts once the score is below the threshold. Bans and timed blocks stay.
     */
    public static AbuseRecord decayed(AbuseRecord record, long nowMillis, ScoringRules rules) {
        if (rules.halfLifeMillis() == 0 || record.history().isEmpty() || record.score() == 0) {
            return record;
        }
        long elapsed = Math.max(0, nowMillis - record.history().get(record.history().size() - 1).atMillis());
        long halves = elapsed / rules.halfLifeMillis();
        long score = halves >= 63 ? 0 : record.score() >> halves;
        score -= score * (elapsed % rules.halfLifeMillis()) / (2 * rules.halfLifeMillis());
        long blockedUntil = record.blockedUntil() == AbuseRecord.UNTIL_LIFTED && score < rules.blockThreshold()
                ? AbuseRecord.NOT_BLOCKED : record.blockedUntil();
        return new AbuseRecord(score, blockedUntil, record.totalViolations(), record.history());
    }
}
