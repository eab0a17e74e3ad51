package dev.abuseguard.redis;

import dev.abuseguard.decision.KnownBlocks.Block;
import dev.abuseguard.decision.SharedBlocks;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.logging.LogValue;
import dev.abuseguard.policy.LivePolicies;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The active blocks in Redis: read from the cross-user index of blocks, announced on {@code ag:blocks}
 * (the format is {@link #news(String)}'s; the channel's news of overrides, {@code o <user>}, are left to the
 * copy of the overrides).
 */
public final class RedisSharedBlocks implements SharedBlocks {

    private static final Logger log = LoggerFactory.getLogger(RedisSharedBlocks.class);
    /** A block as the version before published it: {@code +<until> <score> <user>}. */
    private static final Pattern LEGACY_BLOCK = Pattern.compile("\\+(-?\\d+) (\\d+) (\\S+)");

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
        long max = policies.current().settings().abuse().maxTrackedUsers();
        return redis.commands().flatMap(r -> r.zrangebyscoreWithScores(CrossUserIndex.BLOCKED,
                        Range.from(Range.Boundary.excluding((double) now), Range.Boundary.unbounded()), Limit.create(0,
                                max))
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
            long score = ranked == null ? 0 : CrossUserIndex.unranked(ranked);
            active.put(blocked.get(i).getValue(), new Block(Double.isInfinite(until) ? -1 : (long) until, score));
        }
        return active;
    }

    @Override
    public Flux<News> news() {
        return channel.received().filter(message -> !message.startsWith(BlockInvalidations.OVERRIDES))
                .mapNotNull(RedisSharedBlocks::readable);
    }

    /** The news in a message, or {@code null} (logged) for a message that cannot be read: the stream goes on. */
    private static News readable(String message) {
        try {
            return news(message);
        } catch (RuntimeException unreadable) {
            log.warn("event=block_news_unreadable message={} (skipped)", LogValue.quoted(message));
            return null;
        }
    }

    /**
     * {@code b <until> <score> <user>}: a block; {@code c <user>}: clear the user; {@code *}: clear everyone. A
     * user id never holds white space, so any valid id, {@code +15551234567} or {@code *} included, reads back as
     * it was. Instances of the version before this format publish {@code +<until> <score> <user>} and bare ids;
     * those are read too, so a fleet in a rolling update keeps hearing its news.
     *
     * @throws IllegalArgumentException for a message in neither format
     */
    static News news(String message) {
        if (message.startsWith(BlockInvalidations.BLOCK)) {
            String[] fields = message.substring(BlockInvalidations.BLOCK.length()).split(" ", 3);
            if (fields.length < 3 || fields[2].isEmpty()) {
                throw new IllegalArgumentException("a block without its user");
            }
            return new News(fields[2], new Block(Long.parseLong(fields[0]), Long.parseLong(fields[1])));
        }
        if (message.startsWith(BlockInvalidations.CLEAR)) {
            String user = message.substring(BlockInvalidations.CLEAR.length());
            if (user.isEmpty()) {
                throw new IllegalArgumentException("a clear without its user");
            }
            return new News(user, null);
        }
        if (message.equals(News.EVERYONE)) {
            return new News(News.EVERYONE, null);
        }
        Matcher legacyBlock = LEGACY_BLOCK.matcher(message);
        if (legacyBlock.matches()) {
            return new News(legacyBlock.group(3),
                    new Block(Long.parseLong(legacyBlock.group(1)), Long.parseLong(legacyBlock.group(2))));
        }
        if (message.isEmpty() || message.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("neither a block nor a user");
        }
        return new News(message, null);
    }

    @Override
    public Mono<Boolean> record(String userId, Block block) {
        long now = clock.millis();
        return redis.<Long>run(APPLY_BLOCK, ScriptOutputType.INTEGER,
                        new String[] {UserKeys.abuse(userId), UserKeys.overrides(userId)},
                        Long.toString(block.until() < 0 ? -1 : block.until()), Long.toString(block.score()),
                        Long.toString(now), Long.toString(policies.rules().keepMillis(block.until(), now)))
                .map(written -> written == 1);
    }
}
