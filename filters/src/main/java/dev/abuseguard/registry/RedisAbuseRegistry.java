package dev.abuseguard.registry;

import dev.abuseguard.abuse.UserHistory;
import dev.abuseguard.abuse.UserStanding;
import dev.abuseguard.abuse.Violation;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.redis.AbuseRecordFormat;
import dev.abuseguard.redis.LuaScript;
import dev.abuseguard.redis.RedisScripts;
import dev.abuseguard.redis.UserKeys;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The admin view of abusers kept in Redis: per-user records, plus the cross-user indexes of record-event.lua. */
public final class RedisAbuseRegistry implements AbuseRegistry {

    private static final LuaScript BAN = LuaScript.load("/dev/abuseguard/redis/ban.lua");
    private static final LuaScript UNBAN = LuaScript.load("/dev/abuseguard/redis/unban.lua");

    private final RedisScripts redis;
    private final LivePolicies policies;
    private final Clock clock;
    private final LongSupplier pinnedNow;

    public RedisAbuseRegistry(LettuceConnection connection, LivePolicies policies, Clock clock) {
        this(connection, policies, clock, null);
    }

    /** @param pinnedNow the time bans start at, for tests; {@code null} takes Redis server time */
    public RedisAbuseRegistry(LettuceConnection connection, LivePolicies policies, Clock clock,
                              LongSupplier pinnedNow) {
        this.redis = new RedisScripts(connection);
        this.policies = policies;
        this.clock = clock;
        this.pinnedNow = pinnedNow;
    }

    @Override
    public Mono<AbuseStats> stats(long highAbuseThreshold) {
        long now = clock.millis();
        return redis.commands().flatMap(r -> Mono.zip(
                r.zcard(UserKeys.INDEX[0]),
                r.zcount(UserKeys.INDEX[0], Range.create((double) highAbuseThreshold, Double.POSITIVE_INFINITY)),
                r.zcount(UserKeys.INDEX[1], Range.from(Range.Boundary.excluding((double) now), Range.Boundary.unbounded())),
                r.hget(UserKeys.INDEX[2], "violations").map(Long::parseLong).defaultIfEmpty(0L))
                .map(t -> new AbuseStats(t.getT1(), t.getT2(), t.getT3(), t.getT4(), "redis")));
    }

    @Override
    public Flux<UserStanding> users(long minScore, int limit) {
        long now = clock.millis();
        return redis.commands().flatMapMany(r -> r.zrevrangebyscore(UserKeys.INDEX[0],
                        Range.create((double) minScore, Double.POSITIVE_INFINITY), Limit.create(0, limit))
                .concatMap(userId -> r.get(UserKeys.abuse(userId))
                        .map(record -> AbuseRecordFormat.parse(userId, record, now, policies.rules()))))
                .filter(user -> user.score() >= minScore);
    }

    @Override
    public Mono<UserHistory> user(String userId) {
        long now = clock.millis();
        return redis.commands().flatMap(r -> r.get(UserKeys.abuse(userId))
                .map(record -> AbuseRecordFormat.parse(userId, record, now, policies.rules()))
                .flatMap(standing -> r.zrevrange(UserKeys.violations(userId), 0, 99).collectList()
                        .map(members -> new UserHistory(standing, violations(members)))));
    }

    /** History members are {@code at:action:score_after}. */
    private static List<Violation> violations(List<String> members) {
        List<Violation> history = new ArrayList<>(members.size());
        for (String member : members) {
            String[] fields = member.split(":", 3);
            history.add(new Violation(Long.parseLong(fields[0]), fields[1], Long.parseLong(fields[2])));
        }
        return history;
    }

    @Override
    public Mono<Void> reset(String userId) {
        List<String> keys = new ArrayList<>(List.of(UserKeys.abuse(userId), UserKeys.violations(userId)));
        policies.current().actions().all().forEach(action -> keys.add(UserKeys.state(userId, action)));
        return redis.commands().flatMap(r -> r.del(keys.toArray(String[]::new))).then();
    }

    @Override
    public Mono<Long> ban(String userId, Duration duration) {
        String durationMs = Long.toString(duration == null ? 0 : duration.toMillis());
        String retention = Long.toString(policies.rules().retentionMillis());
        return redis.<List<Object>>run(BAN, ScriptOutputType.MULTI, new String[] {UserKeys.abuse(userId)},
                durationMs, retention, pinnedNow == null ? "" : Long.toString(pinnedNow.getAsLong()),
                Long.toString(policies.rules().blockRetentionMillis())).map(reply -> (Long) reply.get(0));
    }

    @Override
    public Mono<Long> unban(String userId) {
        return redis.<Long>run(UNBAN, ScriptOutputType.INTEGER, new String[] {UserKeys.abuse(userId)})
                .filter(score -> score >= 0);
    }
}
