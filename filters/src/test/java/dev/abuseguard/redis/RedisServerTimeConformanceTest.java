package dev.abuseguard.redis;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.DecisionsAtAnyClock;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.testsupport.OpenConnections;
import dev.abuseguard.testsupport.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis store as it runs in the gateway: deciding at Redis' own {@code TIME}, not at a test's clock. */
class RedisServerTimeConformanceTest extends DecisionsAtAnyClock {

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
        return new RedisDecisionStore(connection, () -> rules);
    }
}
