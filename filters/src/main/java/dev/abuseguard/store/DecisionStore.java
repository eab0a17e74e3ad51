package dev.abuseguard.store;

import dev.abuseguard.policy.Action;
import reactor.core.publisher.Mono;

/**
 * Decides whether a user may perform an action now, and remembers it: block check, strategy and,
 * on a violation, abuse scoring, atomically per user. Never blocks the calling thread.
 */
public interface DecisionStore {

    /** @param userId a validated user id (see {@code IdentityResolver}) */
    Mono<Decision> decide(String userId, Action action);
}
