package dev.abuseguard.discord;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * The interactions this instance saw, in a bounded cache: an instance without Redis, or with Redis away. When
 * full, the oldest ids go first; a replay of one of those would be forwarded again, which a bound of this size
 * makes a matter of hundreds of thousands of interactions within minutes.
 */
public final class LocalInteractionReplays implements InteractionReplays {

    static final long MOST_REMEMBERED = 200_000;

    private final Cache<String, Boolean> seen;

    public LocalInteractionReplays(Clock clock) {
        this.seen = Caffeine.newBuilder()
                .maximumSize(MOST_REMEMBERED)
                .expireAfterWrite(REMEMBERED)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    @Override
    public Mono<Boolean> firstTime(String interactionId) {
        return Mono.fromSupplier(() -> seen.asMap().putIfAbsent(interactionId, Boolean.TRUE) == null);
    }
}
