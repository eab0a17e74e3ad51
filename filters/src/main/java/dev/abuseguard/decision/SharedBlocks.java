package dev.abuseguard.decision;

import dev.abuseguard.decision.KnownBlocks.Block;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The active blocks as the shared store (Redis) knows them, for every instance's {@link KnownBlocks}. */
public interface SharedBlocks {

    /** News from any instance: a block, or a clear ({@code block == null}; user {@code *} for everyone). */
    record News(String userId, Block block) {

        public static final String EVERYONE = "*";
    }

    /** The active blocks and bans, as many as the shared store tracks. */
    Mono<Map<String, Block>> active();

    /** Blocks, unbans and resets as they happen on any instance. */
    Flux<News> news();

    /**
     * Writes a block decided while the shared store was away, unless the store knows a longer one or exempts
     * the user.
     *
     * @return whether it was written
     */
    Mono<Boolean> record(String userId, Block block);
}
