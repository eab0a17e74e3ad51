package dev.abuseguard.discord;

import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.logging.LogValue;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The interactions every instance saw: one {@code SET NX PX} per interaction, its key under the interaction id's
 * own hash tag (spread over a cluster's slots), gone after {@link #REMEMBERED}. When Redis fails, this instance's
 * memory answers, as decisions fall back to it.
 */
public final class RedisInteractionReplays implements InteractionReplays {

    private static final Logger log = LoggerFactory.getLogger(RedisInteractionReplays.class);
    private static final SetArgs ONCE = SetArgs.Builder.nx().px(REMEMBERED.toMillis());

    private final LettuceConnection redis;
    private final InteractionReplays local;
    private final Duration timeLimit;

    /** @param timeLimit how long Redis may take to answer (the decisions' limit): Discord waits 3 s in all */
    public RedisInteractionReplays(LettuceConnection redis, InteractionReplays local, Duration timeLimit) {
        this.redis = redis;
        this.local = local;
        this.timeLimit = timeLimit;
    }

    /** Interaction ids are snowflakes (digits), checked before they get here. */
    static String key(String interactionId) {
        return "ag:{ix:" + interactionId + "}";
    }

    @Override
    public Mono<Boolean> firstTime(String interactionId) {
        return redis.commands().flatMap(r -> r.set(key(interactionId), "1", ONCE))
                .map("OK"::equals)
                .defaultIfEmpty(false)
                .timeout(timeLimit)
                .onErrorResume(failure -> {
                    log.debug("event=interaction_replays_local error={}", LogValue.quoted(failure));
                    return local.firstTime(interactionId);
                });
    }
}
