package dev.abuseguard.registry;

import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.audit.RedisAuditTrail;
import dev.abuseguard.audit.WebhookAlerts;
import dev.abuseguard.decision.DecisionChain;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.redis.RedisDecisionStore;
import dev.abuseguard.testsupport.RedisServer;
import io.github.resilience4j.retry.Retry;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Decisions and bans at the test's clock in place of Redis TIME, as in the decision conformance suite. */
class RedisAbuseRegistryConformanceTest extends AbuseRegistryConformance {

    private final RedisServer redis = RedisServer.shared();
    private final List<LettuceConnection> connections = new ArrayList<>();

    @BeforeEach
    void emptyRedis() {
        redis.flushAll();
    }

    @AfterEach
    void close() {
        connections.forEach(LettuceConnection::close);
    }

    @Override
    protected Fixture fixture(LivePolicies policies) {
        LettuceConnection connection = LettuceConnection.standalone(
                RedisURI.create("127.0.0.1", redis.port()), Duration.ofSeconds(1), Duration.ofSeconds(2), List.of());
        connections.add(connection);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AbuseEvents events = new AbuseEvents(new RedisAuditTrail(connection, policies, 1000),
                WebhookAlerts.to(null, null, Retry.ofDefaults("off"), 1, meters), clock);
        RedisDecisionStore decisions = new RedisDecisionStore(connection, policies::rules, clock::millis);
        return new Fixture(DecisionChain.builder(decisions, events, policies, meters, clock).build(),
                new RedisAbuseRegistry(connection, policies, clock, clock::millis), events);
    }
}
