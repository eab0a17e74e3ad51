package dev.abuseguard.registry;

import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.audit.InMemoryAuditTrail;
import dev.abuseguard.audit.WebhookAlerts;
import dev.abuseguard.decision.DecisionChain;
import dev.abuseguard.memory.InMemoryDecisionStore;
import dev.abuseguard.policy.LivePolicies;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

class InMemoryAbuseRegistryConformanceTest extends AbuseRegistryConformance {

    @Override
    protected Fixture fixture(LivePolicies policies) {
        InMemoryDecisionStore store = new InMemoryDecisionStore(clock, policies::rules, 10_000,
                policies.current().settings().abuse().maxTrackedUsers());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AbuseEvents events = new AbuseEvents(new InMemoryAuditTrail(1000),
                WebhookAlerts.to(null, null, Retry.ofDefaults("off"), 1, Duration.ofSeconds(5), meters),
                        clock);
        return new Fixture(DecisionChain.builder(store, events, policies, meters, clock).build(),
                new InMemoryAbuseRegistry(store, policies, clock), events);
    }
}
