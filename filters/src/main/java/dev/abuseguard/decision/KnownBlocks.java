package dev.abuseguard.decision;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

        /** Of two blocks of one user, the one that ends later (a block until lifted never ends). */
        static Block later(Block known, Block heard) {
            if (known == null || known.until() < 0 && heard.until() < 0) {
                return heard;
            }
            if (known.until() < 0) {
                return known;
            }
            return heard.until() < 0 || heard.until() >= known.until() ? heard : known;
        }
    }

    private final Clock clock;
    private final Cache<String, Block> blocks;
    private final Cache<String, Block> decidedLocally;
    private final AtomicLong generation = new AtomicLong();
    /** Blocks written since the running reload began reading: newer than what it read, so it keeps them. */
    private final Map<String, Block> writtenDuringRead = new ConcurrentHashMap<>();
    private final long maxBlocks;

    public KnownBlocks(Clock clock, long maxBlocks) {
        this.clock = clock;
        this.maxBlocks = maxBlocks;
        this.blocks = Caffeine.newBuilder()
                .maximumSize(maxBlocks)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                // each write sets its block's own end: a ban replacing a timed block outlives the timed block's end
                .expireAfter(Expiry.<String, Block>writing((user, block) -> block.until() < 0
                        ? Duration.ofNanos(Long.MAX_VALUE) : Duration.ofMillis(Math.max(0,
                                block.until() - clock.millis()))))
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
        blocks.asMap().compute(userId, (user, known) -> {
            if (generation.get() != askedInGeneration) {
                return known;
            }
            noteWritten(userId, block);
            return Block.later(known, block);
        });
    }

    private void noteWritten(String userId, Block block) {
        if (writtenDuringRead.size() < maxBlocks) {
            writtenDuringRead.merge(userId, block, Block::later);
        }
    }

    /** Where a full reload starts reading: the generation its read belongs to (see {@link #replaceAll}). */
    public long beginRead() {
        writtenDuringRead.clear();
        return generation.get();
    }

    /** News of a block from the shared store. */
    public void block(String userId, Block block) {
        noteWritten(userId, block);
        blocks.asMap().merge(userId, block, Block::later);
    }

    /** A block the local store decided while the shared store was away: it is written there on recovery. */
    public void decidedLocally(String userId, Block block) {
        noteWritten(userId, block);
        blocks.asMap().merge(userId, block, Block::later);
        decidedLocally.asMap().merge(userId, block, Block::later);
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
            writtenDuringRead.remove(userId);
            blocks.invalidate(userId);
            decidedLocally.invalidate(userId);
        }
    }

    public void clearAll() {
        synchronized (generation) {
            generation.incrementAndGet();
            writtenDuringRead.clear();
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
            writtenDuringRead.forEach((user, block) -> blocks.asMap().merge(user, block, Block::later));
            return true;
        }
    }

    public long size() {
        blocks.cleanUp();
        return blocks.estimatedSize();
    }
}
