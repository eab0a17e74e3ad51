package dev.abuseguard.redis;

import dev.abuseguard.decision.BlockCachingDecisionStore;
import dev.abuseguard.lettuce.LettuceConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Carries unblocks, resets and bans to every instance's {@link BlockCachingDecisionStore} over Redis
 * pub/sub (channel {@code ag:blocks}; on a cluster, every node relays it). A message is a user id, or
 * {@code *} for all.
 */
public final class BlockInvalidations implements AutoCloseable {

    public static final String CHANNEL = "ag:blocks";
    private static final Logger log = LoggerFactory.getLogger(BlockInvalidations.class);

    private final LettuceConnection connection;
    private final Sinks.Many<String> received = Sinks.many().multicast().directBestEffort();
    private final Disposable subscription;

    public BlockInvalidations(LettuceConnection connection) {
        this.connection = connection;
        // pub/sub messages arrive on one Lettuce thread, so the emissions are serial
        this.subscription = connection.messages(CHANNEL).subscribe(received::tryEmitNext,
                error -> log.warn("event=block_invalidations_stopped error=\"{}\"", error.toString()));
    }

    /** User ids (or {@code *}) whose cached blocks are out of date, as published by any instance. */
    public Flux<String> received() {
        return received.asFlux();
    }

    /** Tells every instance (this one included) to forget what it knows of the user's block. */
    public Mono<Void> publish(String userId) {
        return connection.commands().flatMap(redis -> redis.publish(CHANNEL, userId)).then();
    }

    @Override
    public void close() {
        subscription.dispose();
    }
}
