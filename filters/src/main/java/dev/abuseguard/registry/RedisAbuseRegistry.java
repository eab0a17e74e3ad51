package dev.abuseguard.registry;

import dev.abuseguard.abuse.UserHistory;
import dev.abuseguard.abuse.UserStanding;
import dev.abuseguard.abuse.Violation;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.redis.AbuseRecordFormat;
import dev.abuseguard.redis.CrossUserIndex;
import dev.abuseguard.redis.LuaScript;
import dev.abuseguard.redis.RedisScripts;
import dev.abuseguard.redis.UserKeys;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The admin view of abusers kept in Redis: per-user records, plus the cross-user indexes of record-event.lua. */
public final class RedisAbuseRegistry implements AbuseRegistry {

    private static final LuaScript BAN = LuaScript.load("/dev/abuseguard/redis/ban.lua");
    private static final LuaScript UNBAN = LuaScript.load("/dev/abuseguard/redis/unban.lua");

    /** How many expired index entries of each kind a read drops at most before it reads. */
    private static final int PRUNED_PER_READ = 1000;
    private static final Comparator<Violation> NEWEST_FIRST = Comparator.comparingLong(Violation::atMillis)
            .thenComparingLong(Violation::scoreAfter).reversed();

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

    /** The counts come from the indexes alone (a few commands, whatever the number of users). */
    @Override
    public Mono<AbuseStats> stats(long highAbuseThreshold) {
        long now = clock.millis();
        double rank = CrossUserIndex.BLOCKED_RANK;
        return pruned(now).then(redis.commands().flatMap(r -> Mono.zip(
                r.zcard(CrossUserIndex.SCORES),
                r.zcount(CrossUserIndex.SCORES, Range.from(Range.Boundary.including((double) highAbuseThreshold),
                        Range.Boundary.excluding(rank))),
                r.zcount(CrossUserIndex.SCORES, Range.from(Range.Boundary.including(rank + highAbuseThreshold),
                        Range.Boundary.excluding(CrossUserIndex.BAN_RANK))),
                r.zcount(CrossUserIndex.SCORES, Range.create(CrossUserIndex.BAN_RANK + highAbuseThreshold,
                        Double.POSITIVE_INFINITY)),
                r.zcount(CrossUserIndex.BLOCKED,
                        Range.from(Range.Boundary.excluding((double) now), Range.Boundary.unbounded())),
                r.hget(CrossUserIndex.TOTALS, "violations").map(Long::parseLong).defaultIfEmpty(0L))
                .map(t -> new AbuseStats(t.getT1(), t.getT2() + t.getT3() + t.getT4(), t.getT5(), t.getT6(),
                        "redis"))));
    }

    /**
     * Blocked and banned users first, whatever their score, then the others from {@code minScore} up; reads
     * {@code limit} records at most. Each reply is read whole before the next command goes out on the shared
     * connection: a command sent while an earlier multi-element reply was still being handed on element by
     * element stalled the connection until the time limit (two of three listings of 100 users failed so).
     */
    @Override
    public Flux<UserStanding> users(long minScore, int limit) {
        long now = clock.millis();
        double rank = CrossUserIndex.BLOCKED_RANK;
        return pruned(now).then(redis.commands()).flatMapMany(r -> r.zrevrangebyscore(CrossUserIndex.SCORES,
                        Range.create(rank, Double.POSITIVE_INFINITY), Limit.create(0, limit)).collectList()
                .flatMap(blocked -> blocked.size() >= limit ? Mono.just(blocked)
                        : r.zrevrangebyscore(CrossUserIndex.SCORES,
                                Range.from(Range.Boundary.including((double) minScore), Range.Boundary.excluding(rank)),
                                Limit.create(0, limit - blocked.size())).collectList()
                        .map(others -> concat(blocked, others)))
                .flatMapMany(Flux::fromIterable)
                .concatMap(userId -> r.get(UserKeys.abuse(userId))
                        .map(record -> AbuseRecordFormat.parse(userId, record, now, policies.rules()))))
                .filter(user -> user.blocked() || user.score() >= minScore);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    private Mono<Void> pruned(long now) {
        return redis.run(CrossUserIndex.PRUNE, ScriptOutputType.INTEGER, CrossUserIndex.pruneKeys(),
                pinnedNow == null ? "" : Long.toString(now), Integer.toString(PRUNED_PER_READ)).then();
    }

    @Override
    public Mono<UserHistory> user(String userId) {
        long now = clock.millis();
        return redis.commands().flatMap(r -> r.get(UserKeys.abuse(userId))
                .map(record -> AbuseRecordFormat.parse(userId, record, now, policies.rules()))
                .flatMap(standing -> r.zrevrange(UserKeys.violations(userId), 0, 99).collectList()
                        .map(members -> new UserHistory(standing, violations(members)))));
    }

    /**
     * History members are {@code at:action:score_after}, scored by {@code at}. Redis orders members of one
     * millisecond by their text, where "100" comes before "70"; a user's score only grows within a millisecond
     * (each violation adds points, decay needs time), so the higher score after is the later violation.
     */
    private static List<Violation> violations(List<String> members) {
        List<Violation> history = new ArrayList<>(members.size());
        for (String member : members) {
            String[] fields = member.split(":", 3);
            history.add(new Violation(Long.parseLong(fields[0]), fields[1], Long.parseLong(fields[2])));
        }
        history.sort(NEWEST_FIRST);
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
