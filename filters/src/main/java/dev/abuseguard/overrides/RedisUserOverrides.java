package dev.abuseguard.overrides;

import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.redis.BlockInvalidations;
import dev.abuseguard.redis.LuaScript;
import dev.abuseguard.redis.RedisScripts;
import dev.abuseguard.redis.UserKeys;
import dev.abuseguard.strategy.Quota;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The overrides in Redis: the hash {@code ag:{u:<id>}:o} that the decision script reads ({@code exempt},
 * {@code reason}, {@code tier}, {@code l:<action>}), kept {@code retention} after its last change, and the
 * index {@code ag:exempt} (scored by the exemption's end) that the admin views list. After every change the user
 * is (re)listed in {@code ag:{idx}:overridden} and {@code o <user>} is published on {@code ag:blocks}, so that
 * every instance's copy of the overrides, which the local fallback decides by, follows.
 */
public final class RedisUserOverrides implements UserOverrides {

    static final String EXEMPT_INDEX = "ag:exempt";
    /** User → when the user's overrides hash expires (ms): the users every instance copies the overrides of. */
    public static final String OVERRIDDEN_INDEX = "ag:{idx}:overridden";
    /** The index score of an exemption until lifted: later than any real end. */
    private static final double UNTIL_LIFTED = 9e15;
    private static final LuaScript INDEX = LuaScript.load("/dev/abuseguard/redis/overrides-index.lua");

    private final RedisScripts redis;
    private final Clock clock;
    private final long retentionMillis;
    private final long maxIndexed;

    /** @param maxIndexed how many users the index of overridden users lists at most */
    public RedisUserOverrides(LettuceConnection connection, Clock clock, Duration retention, long maxIndexed) {
        this.redis = new RedisScripts(connection);
        this.clock = clock;
        this.retentionMillis = retention.toMillis();
        this.maxIndexed = maxIndexed;
    }

    @Override
    public Mono<Void> exempt(String userId, String reason, Duration duration) {
        long until = duration == null ? -1 : clock.millis() + duration.toMillis();
        String key = UserKeys.overrides(userId);
        return redis.commands().flatMap(r -> r.hset(key, Map.of(OverridesHash.EXEMPT, Long.toString(until),
                        OverridesHash.REASON, reason))
                .then(keepAtLeast(r, key, keep(duration)))
                .then(r.zadd(EXEMPT_INDEX, until < 0 ? UNTIL_LIFTED : until, userId))
                .then(r.pexpire(EXEMPT_INDEX, retentionMillis))
                .then(announce(r, userId)));
    }

    @Override
    public Mono<Boolean> liftExempt(String userId) {
        return redis.commands().flatMap(r -> r.hdel(UserKeys.overrides(userId), OverridesHash.EXEMPT,
                        OverridesHash.REASON)
                .flatMap(removed -> r.zrem(EXEMPT_INDEX, userId).then(announce(r, userId)).thenReturn(removed > 0)));
    }

    @Override
    public Flux<ExemptUser> exempted(int limit) {
        long now = clock.millis();
        // the index's reply is read whole before the reasons are asked for on the same connection (see
        // RedisAbuseRegistry.users)
        return redis.commands().flatMapMany(r -> r.zremrangebyscore(EXEMPT_INDEX, Range.create(0, now))
                .then(r.zrangeWithScores(EXEMPT_INDEX, 0, limit - 1).collectList())
                .flatMapIterable(entries -> entries)
                .concatMap((ScoredValue<String> entry) -> r.hget(UserKeys.overrides(entry.getValue()),
                                OverridesHash.REASON)
                        .defaultIfEmpty("")
                        .map(reason -> new ExemptUser(entry.getValue(), reason,
                                entry.getScore() >= UNTIL_LIFTED ? -1 : (long) entry.getScore()))));
    }

    @Override
    public Mono<Void> limit(String userId, String action, Quota quota) {
        return set(userId, OverridesHash.LIMIT + action, OverridesHash.limit(quota));
    }

    @Override
    public Mono<Boolean> clearLimit(String userId, String action) {
        return clear(userId, OverridesHash.LIMIT + action);
    }

    @Override
    public Mono<Void> tier(String userId, String tier) {
        return set(userId, OverridesHash.TIER, tier);
    }

    @Override
    public Mono<Boolean> clearTier(String userId) {
        return clear(userId, OverridesHash.TIER);
    }

    private Mono<Void> set(String userId, String field, String value) {
        String key = UserKeys.overrides(userId);
        return redis.commands().flatMap(r -> r.hset(key, field, value).then(keepAtLeast(r, key, keep(null)))
                .then(announce(r, userId)));
    }

    private Mono<Boolean> clear(String userId, String field) {
        return redis.commands().flatMap(r -> r.hdel(UserKeys.overrides(userId), field)
                .flatMap(removed -> announce(r, userId).thenReturn(removed > 0)));
    }

    /**
     * Lists the user for as long as their hash lives (or no longer, once it is gone), then tells every instance to
     * read the hash again. Done after the change, so an instance that hears the news reads the changed hash.
     */
    private Mono<Void> announce(RedisClusterReactiveCommands<String, String> r, String userId) {
        return r.pttl(UserKeys.overrides(userId))
                .flatMap(left -> redis.run(INDEX, ScriptOutputType.INTEGER, new String[] {OVERRIDDEN_INDEX},
                        userId, Long.toString(left), Long.toString(clock.millis()), Long.toString(maxIndexed)))
                .then(r.publish(BlockInvalidations.CHANNEL, BlockInvalidations.OVERRIDES + userId)).then();
    }

    private static Mono<Boolean> keepAtLeast(RedisClusterReactiveCommands<String, String> r, String key, long millis) {
        return r.pttl(key).flatMap(ttl -> r.pexpire(key, Math.max(ttl, millis)));
    }

    /** The hash outlives its longest exemption and is kept {@code retention} after each change. */
    private long keep(Duration exemption) {
        return Math.max(retentionMillis, exemption == null ? 0 : exemption.toMillis());
    }
}
