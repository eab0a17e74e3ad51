package dev.abuseguard.abuse;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores one violation: the pure function behind both stores (its Lua twin is the tail of every
 * decision script, {@code dev/abuseguard/store/decide-tail.lua}).
 */
public final class AbuseScoring {

    private AbuseScoring() {
    }

    public static AbuseRecord recordViolation(AbuseRecord prior, long nowMillis, String action, ScoringRules rules) {
        long recent = prior.violationsSince(nowMillis - rules.repeatWindowMillis());
        long score = prior.score() + rules.pointsFor(recent);
        long blockedUntil = prior.blockedUntil();
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
}
