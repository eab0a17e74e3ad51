package dev.abuseguard.store;

import dev.abuseguard.abuse.ScoringRules;

class InMemoryDecisionStoreConformanceTest extends DecisionStoreConformance {

    @Override
    protected DecisionStore store(ScoringRules rules) {
        return new InMemoryDecisionStore(clock, () -> rules, 10_000);
    }
}
