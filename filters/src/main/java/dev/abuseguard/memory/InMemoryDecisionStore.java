package dev.abuseguard.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.abuseguard.abuse.AbuseRecord;
import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.abuse.UserHistory;
import dev.abuseguard.abuse.UserStanding;
import dev.abuseguard.abuse.Violation;
import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.Outcome;
import dev.abuseguard.decision.Spend;
import dev.abuseguard.policy.Action;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    /** The users with violations or a block: what the admin's views read, instead of every user. */
    private final Set<String> tracked = ConcurrentHashMap.newKeySet();
    private final long maxTracked;

    /** @param rules the scoring rules in force (they may change on a configuration refresh) */
    public InMemoryDecisionStore(Clock clock, Supplier<ScoringRules> rules, long maxUsers) {
        this(clock, rules, maxUsers, maxUsers);
    }

    /** @param maxTrackedUsers how many users with violations or blocks the admin's views keep at most */
    public InMemoryDecisionStore(Clock clock, Supplier<ScoringRules> rules, long maxUsers, long maxTrackedUsers) {
        this.maxTracked = maxTrackedUsers;
        this.clock = clock;
        this.rules = rules;
        this.users = Caffeine.newBuilder()
                .maximumSize(maxUsers)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(new KeepUntil())
                .executor(Runnable::run) // evict on the caller's thread: the bound holds at once
                .removalListener((String id, UserState state, RemovalCause cause) -> {
                    if (cause != RemovalCause.REPLACED) {
                        tracked.remove(id);
                    }
                })
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
            if (result[0].outcome() != Outcome.ALLOWED && !action.policy().shadow()) {
                tracked.add(id);
            }
            return user;
        });
        boundTracked();
        return result[0];
    }

    /** The users with violations or a block, as the admin API shows them. */
    public List<UserStanding> standings() {
        long now = clock.millis();
        ScoringRules inForce = rules.get();
        List<UserStanding> all = new ArrayList<>(tracked.size());
        for (String id : tracked) {
            UserState user = users.getIfPresent(id);
            if (user != null) {
                all.add(user.standing(id, now, inForce));
            }
        }
        return all;
    }

    public UserHistory history(String userId) {
        UserState user = users.getIfPresent(userId);
        if (user == null) {
            return null;
        }
        List<Violation> newestFirst = new ArrayList<>(user.abuse.history());
        Collections.reverse(newestFirst);
        return new UserHistory(user.standing(userId, clock.millis(), rules.get()), newestFirst);
    }

    public void forget(String userId) {
        users.invalidate(userId);
    }

    /** Sets the user's block end (see {@link AbuseRecord}); returns the user's score. */
    public long block(String userId, long blockedUntil, long keepUntil) {
        long[] score = new long[1];
        users.asMap().compute(userId, (id, state) -> {
            UserState user = state == null ? new UserState() : state;
            AbuseRecord a = user.abuse;
            user.abuse = a.withBlockedUntil(blockedUntil);
            user.abuseKeptUntil = Math.max(user.abuseKeptUntil, keepUntil);
            user.keepUntil = Math.max(user.keepUntil, user.abuseKeptUntil);
            score[0] = a.score();
            tracked.add(id);
            return user;
        });
        boundTracked();
        return score[0];
    }

    /**
     * Keeps at most {@code maxTracked} users in the admin's views, as the Redis index does: the lowest scores
     * leave first, blocked users after them, bans last. Trimmed in batches (a tenth over the bound), so a flood of new
     * ids
     * costs a sort now and then, not one per request.
     */
    private void boundTracked() {
        if (tracked.size() <= maxTracked + maxTracked / 10) {
            return;
        }
        synchronized (tracked) {
            long over = tracked.size() - maxTracked;
            if (over <= 0) {
                return;
            }
            standings().stream()
                    .sorted(Comparator.comparing((UserStanding user) -> isBanned(user.userId()))
                            .thenComparing(UserStanding::blocked).thenComparingLong(UserStanding::score))
                    .limit(over)
                    .forEach(user -> tracked.remove(user.userId()));
        }
    }

    private boolean isBanned(String userId) {
        UserState user = users.getIfPresent(userId);
        return user != null && user.abuse.blockedUntil() == AbuseRecord.BANNED;
    }

    public long estimatedUsers() {
        users.cleanUp();
        return users.estimatedSize();
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
