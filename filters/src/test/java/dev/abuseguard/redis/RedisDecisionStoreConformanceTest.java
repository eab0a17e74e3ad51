package dev.abuseguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.DecisionStoreConformance;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.overrides.RedisUserOverrides;
import dev.abuseguard.overrides.Tiers;
import dev.abuseguard.testsupport.OpenConnections;
import dev.abuseguard.testsupport.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisDecisionStoreConformanceTest extends DecisionStoreConformance {

    private final RedisServer redis = RedisServer.shared();
    @RegisterExtension
    final OpenConnections connections = new OpenConnections();

    @BeforeEach
    void emptyRedis() {
        redis.flushAll();
    }

    @Override
    protected DecisionStore store(ScoringRules rules) {
        LettuceConnection connection = connections.standalone(redis);
        return new RedisDecisionStore(connection, () -> rules, clock::millis);
    }

    @Override
    protected Overridden overridden(ScoringRules rules, Tiers tiers) {
        LettuceConnection connection = connections.standalone(redis);
        return new Overridden(new RedisDecisionStore(connection, () -> rules, clock::millis, tiers::scriptArgument),
                new RedisUserOverrides(connection, clock, Duration.ofDays(1), 10_000));
    }

    @AfterEach
    void everyKeyHasATimeToLiveAndSharesTheUsersHashTag() {
        for (String key : redis.keys("*")) {
            assertThat(key).matches("ag:\\{u:[a-z]+\\}:(abuse|violations|o|s:[a-z_]+:[tsfl][0-9]+)|ag:exempt|ag:\\{idx\\}:overridden");
            long ttl = Long.parseLong(redis.run("PTTL", key).get(0));
            assertThat(ttl).as("TTL of %s", key).isPositive();
        }
    }
}
