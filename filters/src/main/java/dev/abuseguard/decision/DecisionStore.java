package dev.abuseguard.decision;

import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.SpendOn;
import reactor.core.publisher.Mono;

/**
 * Decides whether a user may perform an action now, and remembers it: block check, strategy and,
 * on a violation, abuse scoring, atomically per user. Never blocks the calling thread.
 */
public interface DecisionStore {

    /** @param userId a validated user id (see {@code IdentityResolver}) */
    Mono<Decision> decide(String userId, Action action, Spend spend);

    /**
     * The check before a request is forwarded: spends quota at once, or only looks when the action
     * spends on backend failures ({@code spend-on: failure}).
     */
    default Mono<Decision> decide(String userId, Action action) {
        return decide(userId, action, action.policy().spendOn() == SpendOn.FAILURE ? Spend.PEEK : Spend.CONSUME);
    }

    /** Which store decides right now, for health and metrics. */
    default StoreStatus status() {
        return new StoreStatus("memory", "none", true);
    }
}
