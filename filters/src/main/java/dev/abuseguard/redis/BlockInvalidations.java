package dev.abuseguard.redis;

import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.logging.LogValue;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
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
    private static final Duration HEARD_BACK_WITHIN = Duration.ofSeconds(1);

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
     * Tells every instance to forget what it knows of the user's block, and completes once this instance has
     * heard it back: news of the same channel arrive in the order Redis took them, so by then this instance has
     * also heard any block announced before (a ban's own news included), which would otherwise land after the
     * clear and answer the admin's next request 403. Should the message not come back in time (the subscription
     * being down), this instance clears its copy by itself.
     */
    public Mono<Void> publish(String userId) {
        String message = CLEAR + userId;
        Mono<String> heardBack = received.asFlux().filter(message::equals).next()
                .timeout(HEARD_BACK_WITHIN)
                .onErrorResume(TimeoutException.class, late -> Mono.fromRunnable(() -> hear(message)));
        return Mono.when(heardBack, connection.commands().flatMap(redis -> redis.publish(CHANNEL, message)));
    }

    /** Messages arrive on Lettuce's pub/sub thread and, when one of this instance's came back late, on the timer's. */
    private void hear(String message) {
        received.emitNext(message, Sinks.EmitFailureHandler.busyLooping(SERIALIZED_WITHIN));
    }

    @Override
    public void close() {
        subscription.dispose();
    }
}
