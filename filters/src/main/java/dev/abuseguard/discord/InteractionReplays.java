package dev.abuseguard.discord;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Remembers which interactions arrived, so that a signed interaction sent again (a replay: same id, still inside
 * the signature's time window) is answered without being forwarded, spent or scored. Shared by every instance
 * when Redis is there; each instance's memory otherwise.
 */
public interface InteractionReplays {

    /**
     * How long an id is remembered: a signature is accepted up to {@link InteractionSignature#TOLERANCE} either
     * side of the gateway's clock, so one signed interaction can be presented for twice that long.
     */
    Duration REMEMBERED = InteractionSignature.TOLERANCE.multipliedBy(2);

    /** {@code true} the first time an interaction id is seen within {@link #REMEMBERED}, {@code false} after. */
    Mono<Boolean> firstTime(String interactionId);
}
