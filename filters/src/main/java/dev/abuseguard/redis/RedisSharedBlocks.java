package dev.abuseguard.redis;

import dev.abuseguard.decision.KnownBlocks.Block;
import dev.abuseguard.decision.SharedBlocks;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.policy.LivePolicies;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The active blocks in Redis: read from the cross-user index of blocks, announced on {@code ag:blocks}
 * ({@code +<until> <score> <user>} for a block, published by {@code record-event.lua}; a user id, or
 * {@code *}, for a clear).
 */
public final class RedisSharedBlocks implements SharedBlocks {

    private static final LuaScript APPLY_BLOCK = LuaScript.load("/dev/abuseguard/redis/apply-block.lua");

    private final RedisScripts redis;
    private final BlockInvalidations channel;
    private final LivePolicies policies;
    private final Clock clock;

    public RedisSharedBlocks(LettuceConnection connection, BlockInvalidations channel, LivePolicies policies,
                             Clock clock) {
        this.redis = new RedisScripts(connection);
        this.channel = channel;
        this.policies = policies;
        this.clock = clock;
    }

    @Override
    public Mono<Map<String, Block>> active() {
        long now = clock.millis();
        long max = policies.current().properties().abuse().maxTrackedUsers();
        return redis.commands().flatMap(r -> r.zrangebyscoreWithScores(CrossUserIndex.BLOCKED,
                        Range.from(Range.Boundary.excluding((double) now), Range.Boundary.unbounded()), Limit.create(0, max))
                .collectList()
                .flatMap(blocked -> blocked.isEmpty() ? Mono.just(Map.<String, Block>of())
                        : r.zmscore(CrossUserIndex.SCORES, blocked.stream().map(ScoredValue::getValue)
                                .toArray(String[]::new)).map(scores -> blocks(blocked, scores))));
    }

    /** @param scores the users' ranked scores, {@code null} for a user the scores index no longer holds */
    private static Map<String, Block> blocks(List<ScoredValue<String>> blocked, List<Double> scores) {
        Map<String, Block> active = new HashMap<>(blocked.size() * 2);
        for (int i = 0; i < blocked.size(); i++) {
            double until = blocked.get(i).getScore();
            Double ranked = scores.get(i);
            long score = ranked == null ? 0 : (long) Math.max(0, ranked - CrossUserIndex.BLOCKED_RANK);
            active.put(blocked.get(i).getValue(), new Block(Double.isInfinite(until) ? -1 : (long) until, score));
        }
        return active;
    }

    @Override
    public Flux<News> news() {
        return channel.received().map(RedisSharedBlocks::news);
    }

    /** {@code +<until> <score> <user>}: a block; anything else names a user (or everyone) to clear. */
    static News news(String message) {
        if (message.startsWith("+")) {
            String[] fields = message.substring(1).split(" ", 3);
            return new News(fields[2], new Block(Long.parseLong(fields[0]), Long.parseLong(fields[1])));
        }
        return new News(message, null);
    }

    @Override
    public Mono<Void> record(String userId, Block block) {
        long now = clock.millis();
        return redis.run(APPLY_BLOCK, ScriptOutputType.INTEGER, new String[] {UserKeys.abuse(userId)},
                Long.toString(block.until() < 0 ? -1 : block.until()), Long.toString(block.score()),
                Long.toString(now), Long.toString(policies.rules().keepMillis(block.until(), now))).then();
    }
}
