package dev.abuseguard.overrides;

import dev.abuseguard.strategy.Quota;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the admin API changes about one user. Every change applies from the user's next request, on every
 * instance: the decision reads it (in Redis, in the decision's own script).
 */
public interface UserOverrides {

    /** @param duration {@code null}: until lifted */
    Mono<Void> exempt(String userId, String reason, Duration duration);

    /** @return whether the user was exempt */
    Mono<Boolean> liftExempt(String userId);

    /** The users exempted through this interface (not the configured ones), at most {@code limit}. */
    Flux<ExemptUser> exempted(int limit);

    Mono<Void> limit(String userId, String action, Quota quota);

    /** @return whether the user had an own limit of the action */
    Mono<Boolean> clearLimit(String userId, String action);

    Mono<Void> tier(String userId, String tier);

    /** @return whether the user had a tier */
    Mono<Boolean> clearTier(String userId);
}
