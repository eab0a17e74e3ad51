package dev.abuseguard.overrides;

import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.redis.RedisScripts;
import dev.abuseguard.redis.UserKeys;
import dev.abuseguard.strategy.Quota;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The overrides in Redis: the hash {@code ag:{u:<id>}:o} that the decision script reads ({@code exempt},
 * {@code reason}, {@code tier}, {@code l:<action>}), kept {@code retention} after its last change, and the
 * index {@code ag:exempt} (scored by the exemption's end) that the admin views list.
 */
public final class RedisUserOverrides implements UserOverrides {

    static final String EXEMPT_INDEX = "ag:exempt";
    /** The index score of an exemption until lifted: later than any real end. */
    private static final double UNTIL_LIFTED = 9e15;

    private final RedisScripts redis;
    private final Clock clock;
    private final long retentionMillis;

    public RedisUserOverrides(LettuceConnection connection, Clock clock, Duration retention) {
        this.redis = new RedisScripts(connection);
        this.clock = clock;
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public Mono<Void> exempt(String userId, String reason, Duration duration) {
        long until = duration == null ? -1 : clock.millis() + duration.toMillis();
        String key = UserKeys.overrides(userId);
        return redis.commands().flatMap(r -> r.hset(key, Map.of("exempt", Long.toString(until), "reason", reason))
                .then(keepAtLeast(r, key, keep(duration)))
                .then(r.zadd(EXEMPT_INDEX, until < 0 ? UNTIL_LIFTED : until, userId))
                .then(r.pexpire(EXEMPT_INDEX, retentionMillis))).then();
    }

    @Override
    public Mono<Boolean> liftExempt(String userId) {
        return redis.commands().flatMap(r -> r.hdel(UserKeys.overrides(userId), "exempt", "reason")
                .flatMap(removed -> r.zrem(EXEMPT_INDEX, userId).thenReturn(removed > 0)));
    }

    @Override
    public Flux<ExemptUser> exempted(int limit) {
        long now = clock.millis();
        // the index's reply is read whole before the reasons are asked for on the same connection (see
        // RedisAbuseRegistry.users)
        return redis.commands().flatMapMany(r -> r.zremrangebyscore(EXEMPT_INDEX, Range.create(0, now))
                .then(r.zrangeWithScores(EXEMPT_INDEX, 0, limit - 1).collectList())
                .flatMapIterable(entries -> entries)
                .concatMap((ScoredValue<String> entry) -> r.hget(UserKeys.overrides(entry.getValue()), "reason")
                        .defaultIfEmpty("")
                        .map(reason -> new ExemptUser(entry.getValue(), reason,
                                entry.getScore() >= UNTIL_LIFTED ? -1 : (long) entry.getScore()))));
    }

    @Override
    public Mono<Void> limit(String userId, String action, Quota quota) {
        return set(userId, "l:" + action, quota.limit() + ":" + quota.windowMillis());
    }

    @Override
    public Mono<Boolean> clearLimit(String userId, String action) {
        return redis.commands().flatMap(r -> r.hdel(UserKeys.overrides(userId), "l:" + action)).map(n -> n > 0);
    }

    @Override
    public Mono<Void> tier(String userId, String tier) {
        return set(userId, "tier", tier);
    }

    @Override
    public Mono<Boolean> clearTier(String userId) {
        return redis.commands().flatMap(r -> r.hdel(UserKeys.overrides(userId), "tier")).map(n -> n > 0);
    }

    private Mono<Void> set(String userId, String field, String value) {
        String key = UserKeys.overrides(userId);
        return redis.commands().flatMap(r -> r.hset(key, field, value).then(keepAtLeast(r, key, keep(null)))).then();
    }

    private static Mono<Boolean> keepAtLeast(RedisClusterReactiveCommands<String, String> r, String key, long millis) {
        return r.pttl(key).flatMap(ttl -> r.pexpire(key, Math.max(ttl, millis)));
    }

    /** The hash outlives its longest exemption and is kept {@code retention} after each change. */
    private long keep(Duration exemption) {
        long kept = Math.max(retentionMillis, exemption == null ? 0 : exemption.toMillis());
        return kept;
    }
}
