package dev.abuseguard.redis;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.DecisionStoreConformance;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.overrides.RedisUserOverrides;
import dev.abuseguard.overrides.Tiers;
import dev.abuseguard.testsupport.OpenConnections;
import dev.abuseguard.testsupport.RedisCluster;
import java.time.Duration;
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

    @Override
    protected Overridden overridden(ScoringRules rules, Tiers tiers) {
        LettuceConnection connection = connections.cluster(cluster);
        return new Overridden(new RedisDecisionStore(connection, () -> rules, clock::millis, tiers::scriptArgument),
                new RedisUserOverrides(connection, clock, Duration.ofDays(1), 10_000));
    }
}
