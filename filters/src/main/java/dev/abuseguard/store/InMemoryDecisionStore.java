package dev.abuseguard.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.abuseguard.abuse.AbuseRecord;
import dev.abuseguard.abuse.AbuseScoring;
import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.abuse.UserHistory;
import dev.abuseguard.abuse.UserStanding;
import dev.abuseguard.abuse.Violation;
import dev.abuseguard.policy.Action;
import dev.abuseguard.strategy.RateLimitStrategy;
import dev.abuseguard.strategy.StrategyType;
import dev.abuseguard.strategy.Verdict;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Decides from this instance's memory: the store of a single instance, and the fallback while Redis
 * is down. At most {@code maxUsers} users are kept (least recently used go first), and a user's state
 * leaves as soon as it equals a fresh one, so memory is bounded however many users arrive.
 */
public final class InMemoryDecisionStore implements DecisionStore {

    private final Clock clock;
    private final Supplier<ScoringRules> rules;
    private final Cache<String, UserState> users;

    /** @param rules the scoring rules in force (they may change on a configuration refresh) */
    public InMemoryDecisionStore(Clock clock, Supplier<ScoringRules> rules, long maxUsers) {
        this.clock = clock;
        this.rules = rules;
        this.users = Caffeine.newBuilder()
                .maximumSize(maxUsers)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(new KeepUntil())
                .executor(Runnable::run) // evict on the caller's thread: the bound holds at once
                .build();
    }

    @Override
    public Mono<Decision> decide(String userId, Action action, Spend spend) {
        return Mono.fromSupplier(() -> decideNow(userId, action, spend));
    }

    /** The decision itself, synchronously: it only touches memory. */
    public Decision decideNow(String userId, Action action, Spend spend) {
        Decision[] result = new Decision[1];
        users.asMap().compute(userId, (id, state) -> {
            UserState user = state == null ? new UserState() : state;
            result[0] = user.decide(action, clock.millis(), rules.get(), spend);
            return user;
        });
        return result[0];
    }

    /** The users this store knows, as the admin API shows them. */
    List<UserStanding> standings() {
        long now = clock.millis();
        List<UserStanding> all = new ArrayList<>();
        users.asMap().forEach((id, user) -> all.add(user.standing(id, now)));
        return all;
    }

    UserHistory history(String userId) {
        UserState user = users.getIfPresent(userId);
        if (user == null) {
            return null;
        }
        List<Violation> newestFirst = new ArrayList<>(user.abuse.history());
        Collections.reverse(newestFirst);
        return new UserHistory(user.standing(userId, clock.millis()), newestFirst);
    }

    void forget(String userId) {
        users.invalidate(userId);
    }

    /** Sets the user's block end (see {@link AbuseRecord}); returns the user's score. */
    long block(String userId, long blockedUntil, long keepUntil) {
        long[] score = new long[1];
        users.asMap().compute(userId, (id, state) -> {
            UserState user = state == null ? new UserState() : state;
            AbuseRecord a = user.abuse;
            user.abuse = new AbuseRecord(a.score(), blockedUntil, a.totalViolations(), a.history());
            user.abuseKeptUntil = Math.max(user.abuseKeptUntil, keepUntil);
            user.keepUntil = Math.max(user.keepUntil, user.abuseKeptUntil);
            score[0] = a.score();
            return user;
        });
        return score[0];
    }

    public long estimatedUsers() {
        users.cleanUp();
        return users.estimatedSize();
    }

    /** One user's state; only ever touched inside {@code compute}, which serialises access per user. */
    private static final class UserState {
        private final Map<String, Entry> strategyStates = new HashMap<>(4);
        private volatile AbuseRecord abuse = AbuseRecord.CLEAN;
        private long abuseKeptUntil;
        private long keepUntil;

        UserStanding standing(String id, long now) {
            AbuseRecord a = abuse;
            List<Violation> history = a.history();
            Violation last = history.isEmpty() ? null : history.get(history.size() - 1);
            boolean blocked = a.blockedAt(now);
            return new UserStanding(id, a.score(), blocked, blocked ? Math.max(-1, a.blockedUntil()) : 0,
                    a.totalViolations(), last == null ? "" : last.action(), last == null ? 0 : last.atMillis());
        }

        Decision decide(Action action, long now, ScoringRules rules, Spend spend) {
            AbuseRecord standing = AbuseScoring.decayed(abuse, now, rules);
            if (standing.blockedAt(now)) {
                return new Decision(Outcome.BLOCKED, action.quota().limit(), 0, 0, standing.blockRemainingMillis(now),
                        0, standing.score(), false);
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
            Verdict<Object> verdict = strategy.decide(prior, now, action.quota());
            Decision decision;
            if (verdict.allowed()) {
                if (spend != Spend.PEEK) {
                    strategyStates.put(action.name(), new Entry(type, action.quota().windowMillis(), verdict.state(),
                            now + verdict.stateTtlMillis()));
                }
                decision = new Decision(Outcome.ALLOWED, action.quota().limit(), verdict.remaining(),
                        verdict.resetAfterMillis(), 0, verdict.delayMillis(), standing.score(), false);
            } else if (spend == Spend.SPEND) {
                decision = new Decision(Outcome.RATE_LIMITED, action.quota().limit(), 0, verdict.resetAfterMillis(),
                        verdict.retryAfterMillis(), 0, standing.score(), false);
            } else {
                abuse = AbuseScoring.recordViolation(abuse, now, action.name(), rules);
                abuseKeptUntil = Math.max(now + rules.retentionMillis(),
                        abuse.blockedUntil() > now ? abuse.blockedUntil() : 0);
                decision = new Decision(Outcome.RATE_LIMITED, action.quota().limit(), 0, verdict.resetAfterMillis(),
                        verdict.retryAfterMillis(), 0, abuse.score(), abuse.blockedAt(now));
            }
            strategyStates.values().removeIf(e -> e.expiresAt <= now);
            keepUntil = abuseKeptUntil;
            for (Entry e : strategyStates.values()) {
                keepUntil = Math.max(keepUntil, e.expiresAt);
            }
            return decision;
        }
    }

    private record Entry(StrategyType type, long windowMillis, Object state, long expiresAt) {
    }

    private final class KeepUntil implements Expiry<String, UserState> {
        @Override
        public long expireAfterCreate(String key, UserState value, long currentTime) {
            return remainingNanos(value);
        }

        @Override
        public long expireAfterUpdate(String key, UserState value, long currentTime, long currentDuration) {
            return remainingNanos(value);
        }

        @Override
        public long expireAfterRead(String key, UserState value, long currentTime, long currentDuration) {
            return currentDuration;
        }

        private long remainingNanos(UserState value) {
            return TimeUnit.MILLISECONDS.toNanos(Math.max(0, value.keepUntil - clock.millis()));
        }
    }
}
