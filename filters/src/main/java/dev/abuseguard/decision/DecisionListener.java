package dev.abuseguard.decision;

import dev.abuseguard.policy.Action;

/** Told of every decision on the request path (not of refunds): counts in memory only, no I/O, never blocks. */
@FunctionalInterface
public interface DecisionListener {

    DecisionListener NONE = (userId, action, decision) -> { };

    void decided(String userId, Action action, Decision decision);

    /** Both, this one first. */
    default DecisionListener andThen(DecisionListener next) {
        return (userId, action, decision) -> {
            decided(userId, action, decision);
            next.decided(userId, action, decision);
        };
    }
}
