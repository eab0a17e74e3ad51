package dev.abuseguard.decision;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This instance's copy of the active blocks and bans, bounded: what lets it refuse a blocked user at no cost
 * to Redis, and go on refusing them while Redis is away. Kept current from three sources, in this order of
 * trust: news from the shared store (a block, or a clear after an unban or reset), a full reload of the
 * shared store's blocks, and the replies of single decisions.
 *
 * <p>A reply is older news than any clear that arrived while it was in flight: every clear moves a generation
 * on, and a reply whose call started in an earlier generation is not remembered, so an unban can never be
 * undone by a decision made just before it.
 */
public final class KnownBlocks {

    /** @param until epoch ms the block ends, or negative until lifted (see {@code AbuseRecord}) */
    public record Block(long until, long score) {

        boolean activeAt(long nowMillis) {
            return until < 0 || until > nowMillis;
        }
    }

    private final Clock clock;
    private final Cache<String, Block> blocks;
    private final Cache<String, Block> decidedLocally;
    private final AtomicLong generation = new AtomicLong();

    public KnownBlocks(Clock clock, long maxBlocks) {
        this.clock = clock;
        this.blocks = Caffeine.newBuilder()
                .maximumSize(maxBlocks)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(Expiry.<String, Block>creating((user, block) -> block.until() < 0
                        ? Duration.ofNanos(Long.MAX_VALUE) : Duration.ofMillis(Math.max(0, block.until() - clock.millis()))))
                .executor(Runnable::run)
                .build();
        this.decidedLocally = Caffeine.newBuilder().maximumSize(maxBlocks).build();
    }

    /** The user's active block, or {@code null}. */
    public Block find(String userId) {
        Block block = blocks.getIfPresent(userId);
        return block != null && block.activeAt(clock.millis()) ? block : null;
    }

    /** Where a decision starts: its reply may be remembered only if no clear arrives meanwhile. */
    public long generation() {
        return generation.get();
    }

    /** A block a decision reported, unless a clear arrived since the decision was asked for. */
    public void remember(String userId, Block block, long askedInGeneration) {
        blocks.asMap().compute(userId, (user, known) -> generation.get() == askedInGeneration ? block : known);
    }

    /** News of a block from the shared store. */
    public void block(String userId, Block block) {
        blocks.put(userId, block);
    }

    /** A block the local store decided while the shared store was away: it is written there on recovery. */
    public void decidedLocally(String userId, Block block) {
        blocks.put(userId, block);
        decidedLocally.put(userId, block);
    }

    /** The blocks decided locally and not yet written to the shared store; taken, so each is written once. */
    public Map<String, Block> takeDecidedLocally() {
        Map<String, Block> taken = Map.copyOf(decidedLocally.asMap());
        taken.keySet().forEach(decidedLocally::invalidate);
        return taken;
    }

    /** An unban or reset: the user is not blocked (as far as this copy knows) from now on. */
    public void clear(String userId) {
        synchronized (generation) {
            generation.incrementAndGet();
            blocks.invalidate(userId);
            decidedLocally.invalidate(userId);
        }
    }

    public void clearAll() {
        synchronized (generation) {
            generation.incrementAndGet();
            blocks.invalidateAll();
            decidedLocally.invalidateAll();
        }
    }

    /**
     * Replaces the copy with the shared store's active blocks, read in {@code readInGeneration}; a clear that
     * arrived during the read makes the read too old, and it is left for the next one.
     *
     * @return whether the copy was replaced
     */
    public boolean replaceAll(Map<String, Block> active, long readInGeneration) {
        synchronized (generation) {
            if (generation.get() != readInGeneration) {
                return false;
            }
            blocks.invalidateAll();
            blocks.putAll(active);
            decidedLocally.asMap().forEach(blocks::put);
            return true;
        }
    }

    public long size() {
        blocks.cleanUp();
        return blocks.estimatedSize();
    }
}
