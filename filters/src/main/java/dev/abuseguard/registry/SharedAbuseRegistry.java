package dev.abuseguard.registry;

import dev.abuseguard.abuse.UserHistory;
import dev.abuseguard.abuse.UserStanding;
import dev.abuseguard.redis.BlockInvalidations;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The admin view when Redis is the shared store: reads come from Redis; resets, bans and unbans go to
 * Redis and to this instance's memory too, so a fail-over decides the way the admin said, and are then
 * announced to every instance's near cache of blocks.
 */
public final class SharedAbuseRegistry implements AbuseRegistry {

    private final AbuseRegistry shared;
    private final AbuseRegistry local;
    private final BlockInvalidations invalidations;

    public SharedAbuseRegistry(AbuseRegistry shared, AbuseRegistry local, BlockInvalidations invalidations) {
        this.shared = shared;
        this.local = local;
        this.invalidations = invalidations;
    }

    @Override
    public Mono<AbuseStats> stats(long highAbuseThreshold) {
        return shared.stats(highAbuseThreshold);
    }

    @Override
    public Flux<UserStanding> users(long minScore, int limit) {
        return shared.users(minScore, limit);
    }

    @Override
    public Mono<UserHistory> user(String userId) {
        return shared.user(userId);
    }

    @Override
    public Mono<Void> reset(String userId) {
        return local.reset(userId).then(shared.reset(userId)).then(invalidations.publish(userId));
    }

    @Override
    public Mono<Long> ban(String userId, Duration duration) {
        return local.ban(userId, duration).then(shared.ban(userId, duration))
                .flatMap(score -> invalidations.publish(userId).thenReturn(score));
    }

    @Override
    public Mono<Long> unban(String userId) {
        return local.unban(userId).then(shared.unban(userId))
                .flatMap(score -> invalidations.publish(userId).thenReturn(score));
    }
}
