package dev.abuseguard.registry;

import dev.abuseguard.abuse.AbuseRecord;
import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.abuse.UserHistory;
import dev.abuseguard.abuse.UserStanding;
import dev.abuseguard.memory.InMemoryDecisionStore;
import dev.abuseguard.policy.LivePolicies;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The admin view of the in-memory store (single instance, or Redis absent). */
public final class InMemoryAbuseRegistry implements AbuseRegistry {

    private final InMemoryDecisionStore store;
    private final LivePolicies policies;
    private final Clock clock;

    public InMemoryAbuseRegistry(InMemoryDecisionStore store, LivePolicies policies, Clock clock) {
        this.store = store;
        this.policies = policies;
        this.clock = clock;
    }

    @Override
    public Mono<AbuseStats> stats(long highAbuseThreshold) {
        return Mono.fromSupplier(() -> {
            List<UserStanding> all = store.standings();
            return new AbuseStats(all.size(),
                    all.stream().filter(u -> u.score() >= highAbuseThreshold).count(),
                    all.stream().filter(UserStanding::blocked).count(),
                    all.stream().mapToLong(UserStanding::violations).sum(), "memory");
        }).subscribeOn(Schedulers.boundedElastic()); // off the event loop: as many users as have violated
    }

    /** Blocked and banned users first, whatever their score, then the others from {@code minScore} up. */
    @Override
    public Flux<UserStanding> users(long minScore, int limit) {
        return Flux.defer(() -> Flux.fromStream(store.standings().stream()
                .filter(u -> u.blocked() || u.score() >= minScore)
                .sorted(Comparator.comparing(UserStanding::blocked).thenComparingLong(UserStanding::score).reversed())
                .limit(limit))).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Mono<UserHistory> user(String userId) {
        return Mono.fromSupplier(() -> store.history(userId));
    }

    @Override
    public Mono<Void> reset(String userId) {
        return Mono.fromRunnable(() -> store.forget(userId));
    }

    @Override
    public Mono<Long> ban(String userId, Duration duration) {
        long now = clock.millis();
        ScoringRules rules = policies.rules();
        long blockedUntil = duration == null ? AbuseRecord.BANNED : now + duration.toMillis();
        return Mono.fromSupplier(() -> store.block(userId, blockedUntil, now + rules.keepMillis(blockedUntil, now)));
    }

    @Override
    public Mono<Long> unban(String userId) {
        return Mono.fromSupplier(() -> store.history(userId) == null ? null
                : store.block(userId, AbuseRecord.NOT_BLOCKED, 0));
    }
}
