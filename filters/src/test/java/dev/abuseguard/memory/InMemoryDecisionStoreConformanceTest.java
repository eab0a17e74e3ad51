package dev.abuseguard.memory;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.DecisionStoreConformance;

class InMemoryDecisionStoreConformanceTest extends DecisionStoreConformance {

    @Override
    protected DecisionStore store(ScoringRules rules) {
        return new InMemoryDecisionStore(clock, () -> rules, 10_000);
    }
}
