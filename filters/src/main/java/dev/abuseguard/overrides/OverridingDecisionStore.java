package dev.abuseguard.overrides;

import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.Spend;
import dev.abuseguard.decision.StoreStatus;
import dev.abuseguard.policy.Action;
import dev.abuseguard.strategy.Quota;
import java.time.Clock;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Applies the operator's word before a store decides: a configured exempt user is answered here, with no
 * store call at all; with {@code memory} overrides (the store of a single instance) an exempt user is answered
 * here too and an overridden one is decided under their own limit (user's own over tier over action). With
 * Redis, the decision script reads the overrides itself.
 */
public final class OverridingDecisionStore implements DecisionStore {

    private final DecisionStore delegate;
    private final Set<String> configuredExempt;
    private final InMemoryUserOverrides memory;
    private final Tiers tiers;
    private final Clock clock;

    /** @param memory {@code null} when the delegate reads the overrides itself (Redis) */
    public OverridingDecisionStore(DecisionStore delegate, Set<String> configuredExempt, InMemoryUserOverrides memory,
                                   Tiers tiers, Clock clock) {
        this.delegate = delegate;
        this.configuredExempt = Set.copyOf(configuredExempt);
        this.memory = memory;
        this.tiers = tiers;
        this.clock = clock;
    }

    @Override
    public Mono<Decision> decide(String userId, Action action, Spend spend) {
        if (configuredExempt.contains(userId)) {
            return Mono.just(Decision.exempt(action.quota().limit()));
        }
        InMemoryUserOverrides.UserOverride override = memory == null ? null : memory.get(userId);
        if (override == null) {
            return delegate.decide(userId, action, spend);
        }
        if (override.exemptAt(clock.millis())) {
            return Mono.just(Decision.exempt(action.quota().limit()));
        }
        Quota own = override.limits().get(action.name());
        if (own == null) {
            own = tiers.quota(override.tier(), action.name(), action.quota().maxDelayMillis());
        }
        return delegate.decide(userId, own == null ? action : new Action(action.name(), action.policy(), own), spend);
    }

    @Override
    public StoreStatus status() {
        return delegate.status();
    }
}
