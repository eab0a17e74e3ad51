package dev.abuseguard.memory;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.DecisionStoreConformance;
import dev.abuseguard.overrides.InMemoryUserOverrides;
import dev.abuseguard.overrides.OverridingDecisionStore;
import dev.abuseguard.overrides.Tiers;
import java.time.Duration;
import java.util.Set;

class InMemoryDecisionStoreConformanceTest extends DecisionStoreConformance {

    @Override
    protected DecisionStore store(ScoringRules rules) {
        return new InMemoryDecisionStore(clock, () -> rules, 10_000);
    }

    @Override
    protected Overridden overridden(ScoringRules rules, Tiers tiers) {
        InMemoryUserOverrides overrides = new InMemoryUserOverrides(clock, 10_000, Duration.ofDays(1));
        return new Overridden(new OverridingDecisionStore(store(rules), Set.of(), overrides, tiers, clock), overrides);
    }
}
