package dev.abuseguard.overrides;

import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.DecisionLink;
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
 * store call at all; with {@code local} overrides an exempt user is answered here too and an overridden one is
 * decided under their own limit, with the precedence of the decision script (user's own over tier over action).
 * In front of the store of a single instance {@code local} holds the overrides themselves; in front of the
 * fallback of Redis, this instance's copy of Redis' overrides; in front of Redis, none (the script reads them).
 */
public final class OverridingDecisionStore implements DecisionStore {

    private final DecisionStore delegate;
    private final Set<String> configuredExempt;
    private final LocalOverrides local;
    private final Tiers tiers;
    private final Clock clock;

    /** @param local {@code null} when the delegate reads the overrides itself (Redis) */
    public OverridingDecisionStore(DecisionStore delegate, Set<String> configuredExempt, LocalOverrides local,
                                   Tiers tiers, Clock clock) {
        this.delegate = delegate;
        this.configuredExempt = Set.copyOf(configuredExempt);
        this.local = local;
        this.tiers = tiers;
        this.clock = clock;
    }

    /** The chain's link of this store, in front of whatever decides next. */
    public static DecisionLink link(Set<String> configuredExempt, LocalOverrides local, Tiers tiers, Clock clock) {
        return next -> new OverridingDecisionStore(next, configuredExempt, local, tiers, clock);
    }

    @Override
    public Mono<Decision> decide(String userId, Action action, Spend spend) {
        if (configuredExempt.contains(userId)) {
            return Mono.just(Decision.exempt(action.quota().limit()));
        }
        UserOverride override = local == null ? null : local.get(userId);
        if (override == null) {
            return delegate.decide(userId, action, spend);
        }
        if (override.exemptAt(clock.millis())) {
            return Mono.just(Decision.exempt(action.quota().limit()));
        }
        Quota own = override.limits().get(action.name());
        own = own != null ? new Quota(own.limit(), own.windowMillis(), action.quota().maxDelayMillis())
                : tiers.quota(override.tier(), action.name(), action.quota().maxDelayMillis());
        return delegate.decide(userId, own == null ? action : new Action(action.name(), action.policy(), own), spend);
    }

    @Override
    public StoreStatus status() {
        return delegate.status();
    }
}
