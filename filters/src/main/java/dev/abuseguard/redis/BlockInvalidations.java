package dev.abuseguard.redis;

import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.logging.LogValue;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The channel {@code ag:blocks} every instance listens on for news of blocks (on a cluster, every node relays
 * it): {@code c <user>} after an unblock, reset or ban, {@code *} for all, and {@code b <until> <score> <user>}
 * for a new block (published by record-event.lua; read by {@link RedisSharedBlocks#news(String)}); and
 * {@code o <user>} after an admin changed the user's overrides (read by the copy of the overrides, which reads
 * the user's hash again). An instance that knows no kind of message logs it and skips it.
 */
public final class BlockInvalidations implements AutoCloseable {

    public static final String CHANNEL = "ag:blocks";
    static final String BLOCK = "b ";
    static final String CLEAR = "c ";
    public static final String OVERRIDES = "o ";
    private static final Logger log = LoggerFactory.getLogger(BlockInvalidations.class);
    private static final Duration SERIALIZED_WITHIN = Duration.ofMillis(100);

    private final LettuceConnection connection;
    private final Sinks.Many<String> received = Sinks.many().multicast().directBestEffort();
    private final Disposable subscription;

    public BlockInvalidations(LettuceConnection connection) {
        this.connection = connection;
        this.subscription = connection.messages(CHANNEL).subscribe(this::hear,
                error -> log.warn("event=block_invalidations_stopped error={}", LogValue.quoted(error)));
    }

    /** The messages as published by any instance. */
    public Flux<String> received() {
        return received.asFlux();
    }

    /**
     * Tells every instance to forget what it knows of the user's block; this one at once, without waiting for
     * its own message to come back from Redis, so the admin's next request here already finds the user unblocked.
     */
    public Mono<Void> publish(String userId) {
        String message = CLEAR + userId;
        return connection.commands().flatMap(redis -> redis.publish(CHANNEL, message)).then()
                .doOnSuccess(published -> hear(message));
    }

    /** Messages arrive on Lettuce's pub/sub thread and, for this instance's own clears, on the caller's. */
    private void hear(String message) {
        received.emitNext(message, Sinks.EmitFailureHandler.busyLooping(SERIALIZED_WITHIN));
    }

    @Override
    public void close() {
        subscription.dispose();
    }
}
