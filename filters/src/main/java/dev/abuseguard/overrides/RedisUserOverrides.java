package dev.abuseguard.overrides;

import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.redis.BlockInvalidations;
import dev.abuseguard.redis.LuaScript;
import dev.abuseguard.redis.RedisScripts;
import dev.abuseguard.redis.UserKeys;
import dev.abuseguard.strategy.Quota;
import io.lettuce.core.Range;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The overrides in Redis: the hash {@code ag:{u:<id>}:o} ({@code exempt}, {@code reason}, {@code tier},
 * {@code l:<action>}), kept {@code retention} after its last change, with the string {@code ag:{u:<id>}:ov} that
 * the decision script reads (what a decision needs of the hash, written with it by {@code overrides-write.lua} in
 * one step, kept as long), and the
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
    private static final LuaScript WRITE = LuaScript.load("/dev/abuseguard/redis/overrides-write.lua");

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
        return write(userId, "set", keep(duration), OverridesHash.EXEMPT, Long.toString(until),
                        OverridesHash.REASON, reason)
                .then(redis.commands())
                .flatMap(r -> r.zadd(EXEMPT_INDEX, until < 0 ? UNTIL_LIFTED : until, userId)
                        .then(r.pexpire(EXEMPT_INDEX, retentionMillis))
                        .then(announce(r, userId)));
    }

    @Override
    public Mono<Boolean> liftExempt(String userId) {
        return write(userId, "del", keep(null), OverridesHash.EXEMPT, OverridesHash.REASON)
                .flatMap(removed -> redis.commands()
                        .flatMap(r -> r.zrem(EXEMPT_INDEX, userId).then(announce(r, userId)))
                        .thenReturn(removed > 0));
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
        return write(userId, "set", keep(null), field, value)
                .then(redis.commands()).flatMap(r -> announce(r, userId));
    }

    private Mono<Boolean> clear(String userId, String field) {
        return write(userId, "del", keep(null), field)
                .flatMap(removed -> redis.commands().flatMap(r -> announce(r, userId)).thenReturn(removed > 0));
    }

    /** Changes the hash and, in the same step, the string decisions read; the fields removed by a "del". */
    private Mono<Long> write(String userId, String op, long keepMillis, String... fields) {
        String[] args = new String[fields.length + 2];
        args[0] = op;
        args[1] = Long.toString(keepMillis);
        System.arraycopy(fields, 0, args, 2, fields.length);
        return redis.<List<Object>>run(WRITE, ScriptOutputType.MULTI, keys(userId), args)
                .map(reply -> (Long) reply.get(0));
    }

    /**
     * The user's hash, every field, after bringing the string decisions read in step with it: a change an instance
     * of the version before made (to the hash alone) reaches decisions when any instance of this version hears of
     * it or reads it in a full read (see {@code RedisOverridesCopy}).
     */
    static Mono<Map<String, String>> readAndSync(RedisClusterReactiveCommands<String, String> r, String userId,
                                                 long retentionMillis) {
        String[] keys = keys(userId);
        String[] args = {"sync", Long.toString(retentionMillis)};
        // over the given connection (the copy's, not the decisions' lanes); the reply arrives as one element
        return r.<List<Object>>evalsha(WRITE.sha1(), ScriptOutputType.MULTI, keys, args)
                .onErrorResume(RedisNoScriptException.class,
                        missing -> r.<List<Object>>eval(WRITE.source(), ScriptOutputType.MULTI, keys, args))
                .next()
                .map(reply -> {
                    List<?> flat = (List<?>) reply.get(1);
                    Map<String, String> fields = new HashMap<>();
                    for (int i = 0; i + 1 < flat.size(); i += 2) {
                        fields.put((String) flat.get(i), (String) flat.get(i + 1));
                    }
                    return fields;
                });
    }

    private static String[] keys(String userId) {
        return new String[] {UserKeys.overrides(userId), UserKeys.decisionOverrides(userId)};
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

    /** The hash outlives its longest exemption and is kept {@code retention} after each change. */
    private long keep(Duration exemption) {
        return Math.max(retentionMillis, exemption == null ? 0 : exemption.toMillis());
    }
}
