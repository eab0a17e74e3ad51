package dev.abuseguard.memory;

import dev.abuseguard.abuse.AbuseRecord;
import dev.abuseguard.abuse.AbuseScoring;
import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.abuse.UserStanding;
import dev.abuseguard.abuse.Violation;
import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.Spend;
import dev.abuseguard.policy.Action;
import dev.abuseguard.strategy.RateLimitStrategy;
import dev.abuseguard.strategy.StrategyType;
import dev.abuseguard.strategy.Verdict;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One user's state; only ever touched inside {@code compute}, which serialises access per user. */
final class UserState {
    private final Map<String, Entry> strategyStates = new HashMap<>(4);
    volatile AbuseRecord abuse = AbuseRecord.CLEAN;
    long abuseKeptUntil;
    long keepUntil;

    UserStanding standing(String id, long now, ScoringRules rules) {
        AbuseRecord a = abuse;
        List<Violation> history = a.history();
        Violation last = history.isEmpty() ? null : history.get(history.size() - 1);
        return AbuseScoring.standing(id, a.score(), a.blockedUntil(), a.totalViolations(),
                last == null ? "" : last.action(), last == null ? 0 : last.atMillis(), a.blocks(), now, rules);
    }

    Decision decide(Action action, long now, ScoringRules rules, Spend spend) {
        AbuseRecord standing = AbuseScoring.decayed(abuse, now, rules);
        if (spend == Spend.CONSUME && standing.blockedAt(now)) {
            if (standing.blockedUntil() < 0) { // renewed while the user keeps trying, as in Redis
                abuseKeptUntil = Math.max(abuseKeptUntil, now + rules.keepMillis(standing.blockedUntil(), now));
                keepUntil = Math.max(keepUntil, abuseKeptUntil);
            }
            return Decision.blocked(action.quota().limit(), standing.blockRemainingMillis(now), standing.score());
        }
        if (abuseKeptUntil <= now) {
            abuse = AbuseRecord.CLEAN; // the retention of Redis' abuse keys, mirrored
        }
        StrategyType type = action.policy().strategy();
        Entry entry = strategyStates.get(action.name());
        // a changed strategy or window starts afresh: the old state means something else
        Object prior = entry != null && entry.type == type && entry.windowMillis == action.quota().windowMillis()
                && entry.expiresAt > now ? entry.state : null;
        @SuppressWarnings("unchecked")
        RateLimitStrategy<Object> strategy = (RateLimitStrategy<Object>) type.algorithm();
        Verdict<Object> verdict = spend == Spend.REFUND ? strategy.refund(prior, now, action.quota())
                : strategy.decide(prior, now, action.quota());
        Decision decision;
        if (verdict.allowed()) {
            if (verdict.state() == null) {
                strategyStates.remove(action.name());
            } else {
                strategyStates.put(action.name(), new Entry(type, action.quota().windowMillis(), verdict.state(),
                        now + verdict.stateTtlMillis()));
            }
            decision = Decision.admitted(action.quota().limit(), verdict.remaining(), verdict.resetAfterMillis(),
                    verdict.delayMillis(), standing.score());
        } else if (action.policy().shadow()) { // reported as Redis reports it: no score, no block
            decision = Decision.rateLimited(action.quota().limit(), verdict.resetAfterMillis(),
                    verdict.retryAfterMillis(), standing.score());
        } else {
            abuse = AbuseScoring.recordViolation(abuse, now, action.name(), rules);
            abuseKeptUntil = now + rules.keepMillis(abuse.blockedUntil(), abuse.score(), abuse.blocks(), now);
            boolean newlyBlocked = abuse.blockedAt(now);
            decision = newlyBlocked
                    ? Decision.rateLimitedAndBlocked(action.quota().limit(), verdict.resetAfterMillis(),
                            verdict.retryAfterMillis(), abuse.score(), Math.max(0, abuse.blockedUntil() - now))
                    : Decision.rateLimited(action.quota().limit(), verdict.resetAfterMillis(),
                            verdict.retryAfterMillis(), abuse.score());
        }
        strategyStates.values().removeIf(e -> e.expiresAt <= now);
        keepUntil = abuseKeptUntil;
        for (Entry e : strategyStates.values()) {
            keepUntil = Math.max(keepUntil, e.expiresAt);
        }
        return decision;
    }

    private record Entry(StrategyType type, long windowMillis, Object state, long expiresAt) {
    }
}
