package dev.abuseguard.decision;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.abuseguard.policy.Action;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * A near cache of blocks in front of the shared store: once Redis has said a user is blocked, this
 * instance answers that user's requests with 403 itself, at no cost to Redis, until the block ends, an
 * admin's unblock, reset or ban reaches it ({@link #forget}, fed by the instances' invalidation messages),
 * or a safety interval passes.
 */
public final class BlockCachingDecisionStore implements DecisionStore {

    private record Block(long until, long score, long cachedUntil) {
    }

    private final DecisionStore delegate;
    private final Clock clock;
    private final Cache<String, Block> blocks;
    private final long safetyMillis;

    /**
     * @param safety the longest an entry is trusted without news from Redis (a missed invalidation, or a
     *               block lifted by score decay, costs at most this long)
     */
    public BlockCachingDecisionStore(DecisionStore delegate, Clock clock, Duration safety, long maxUsers) {
        this.delegate = delegate;
        this.clock = clock;
        this.safetyMillis = safety.toMillis();
        this.blocks = Caffeine.newBuilder()
                .maximumSize(maxUsers)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(Expiry.<String, Block>creating((user, block) ->
                        Duration.ofMillis(Math.max(0, block.cachedUntil() - clock.millis()))))
                .executor(Runnable::run)
                .build();
    }

    @Override
    public Mono<Decision> decide(String userId, Action action, Spend spend) {
        Block block = blocks.getIfPresent(userId);
        if (block != null) {
            long now = clock.millis();
            long retryAfter = block.until() < 0 ? -1 : Math.max(0, block.until() - now);
            return Mono.just(new Decision(Outcome.BLOCKED, action.quota().limit(), 0, 0, retryAfter, 0, block.score(),
                    false));
        }
        return delegate.decide(userId, action, spend).doOnNext(decision -> remember(userId, decision));
    }

    private void remember(String userId, Decision decision) {
        if (decision.outcome() != Outcome.BLOCKED || !delegate.status().storeDeciding()) {
            return; // only what the shared store says is worth remembering
        }
        long now = clock.millis();
        long until = decision.retryAfterMillis() < 0 ? -1 : now + decision.retryAfterMillis();
        long cachedUntil = until < 0 ? now + safetyMillis : Math.min(until, now + safetyMillis);
        blocks.put(userId, new Block(until, decision.abuseScore(), cachedUntil));
    }

    public void forget(String userId) {
        blocks.invalidate(userId);
    }

    public void forgetAll() {
        blocks.invalidateAll();
    }

    @Override
    public StoreStatus status() {
        return delegate.status();
    }
}
