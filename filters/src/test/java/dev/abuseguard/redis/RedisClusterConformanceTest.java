package dev.abuseguard.redis;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.DecisionStoreConformance;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.testsupport.OpenConnections;
import dev.abuseguard.testsupport.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every scenario on a Redis Cluster of three masters: one user's keys, one slot, one script. */
class RedisClusterConformanceTest extends DecisionStoreConformance {

    private static RedisCluster cluster;
    @RegisterExtension
    final OpenConnections connections = new OpenConnections();

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void emptyCluster() {
        cluster.flushAll();
    }


    @Override
    protected DecisionStore store(ScoringRules rules) {
        LettuceConnection connection = connections.cluster(cluster);
        return new RedisDecisionStore(connection, () -> rules, clock::millis);
    }
}
