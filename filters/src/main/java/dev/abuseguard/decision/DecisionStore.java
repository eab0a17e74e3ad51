package dev.abuseguard.decision;

import dev.abuseguard.policy.Action;
import reactor.core.publisher.Mono;

/**
 * Decides whether a user may perform an action now, and remembers it: block check, strategy and,
 * on a violation, abuse scoring, atomically per user. Never blocks the calling thread.
 */
public interface DecisionStore {

    /** @param userId a validated user id (see {@code IdentityResolver}) */
    Mono<Decision> decide(String userId, Action action, Spend spend);

    /** The check before a request is forwarded: it spends quota at once (see {@link Spend#REFUND}). */
    default Mono<Decision> decide(String userId, Action action) {
        return decide(userId, action, Spend.CONSUME);
    }

    /** Which store decides right now, for health and metrics. */
    default StoreStatus status() {
        return new StoreStatus("memory", "none", true);
    }
}
