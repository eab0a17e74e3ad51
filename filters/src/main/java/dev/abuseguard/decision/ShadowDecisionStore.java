package dev.abuseguard.decision;

import dev.abuseguard.policy.Action;
import reactor.core.publisher.Mono;

/**
 * Shadow mode ({@code shadow: true} per action, or {@code abuse-guard.shadow} for all): the decision is made
 * and spends as if enforced, but every request is forwarded as allowed ({@link Decision#inShadow()}). The
 * stores below know the action's mode too and never score a shadow refusal, so it blocks no one.
 */
final class ShadowDecisionStore implements DecisionStore {

    private final DecisionStore delegate;

    ShadowDecisionStore(DecisionStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Mono<Decision> decide(String userId, Action action, Spend spend) {
        Mono<Decision> decided = delegate.decide(userId, action, spend);
        return action.policy().shadow() && spend == Spend.CONSUME ? decided.map(Decision::inShadow) : decided;
    }

    @Override
    public StoreStatus status() {
        return delegate.status();
    }
}
