package dev.abuseguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.DecisionStoreConformance;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.testsupport.OpenConnections;
import dev.abuseguard.testsupport.RedisServer;
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

    @AfterEach
    void everyKeyHasATimeToLiveAndSharesTheUsersHashTag() {
        for (String key : redis.keys("*")) {
            assertThat(key).matches("ag:\\{u:[a-z]+\\}:(abuse|violations|s:[a-z_]+:[tsfl][0-9]+)");
            long ttl = Long.parseLong(redis.run("PTTL", key).get(0));
            assertThat(ttl).as("TTL of %s", key).isPositive();
        }
    }
}
