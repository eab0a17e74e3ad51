package dev.abuseguard.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.audit.RedisAuditTrail;
import dev.abuseguard.audit.WebhookAlerts;
import dev.abuseguard.decision.DecisionChain;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.redis.RedisDecisionStore;
import dev.abuseguard.redis.UserKeys;
import dev.abuseguard.testsupport.OpenConnections;
import dev.abuseguard.testsupport.RedisServer;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Decisions and bans at the test's clock in place of Redis TIME, as in the decision conformance suite. */
class RedisAbuseRegistryConformanceTest extends AbuseRegistryConformance {

    private final RedisServer redis = RedisServer.shared();
    @RegisterExtension
    final OpenConnections connections = new OpenConnections();

    @BeforeEach
    void emptyRedis() {
        redis.flushAll();
    }


    @Override
    protected void keptAtLeast(String user, Duration time) {
        assertThat(Long.parseLong(redis.run("PTTL", UserKeys.abuse(user)).get(0))).isGreaterThan(time.toMillis());
    }

    @Override
    protected void keptAtMost(String user, Duration time) {
        assertThat(Long.parseLong(redis.run("PTTL", UserKeys.abuse(user)).get(0))).isBetween(1L, time.toMillis());
        assertThat(Long.parseLong(redis.run("PTTL", UserKeys.violations(user)).get(0)))
                .isBetween(1L, time.toMillis());
    }

    @Override
    protected Fixture fixture(LivePolicies policies) {
        LettuceConnection connection = connections.standalone(redis);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AbuseEvents events = new AbuseEvents(new RedisAuditTrail(connection, policies, 1000),
                WebhookAlerts.to(null, null, Retry.ofDefaults("off"), 1, Duration.ofSeconds(5), meters),
                        clock);
        RedisDecisionStore decisions = new RedisDecisionStore(connection, policies::rules, clock::millis);
        return new Fixture(DecisionChain.builder(decisions, events, policies, meters, clock).build(),
                new RedisAbuseRegistry(connection, policies, clock, clock::millis), events);
    }
}
