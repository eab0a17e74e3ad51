package dev.abuseguard.redis;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.DecisionStoreConformance;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.testsupport.RedisCluster;
import dev.abuseguard.testsupport.RedisServer;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Every scenario on a Redis Cluster of three masters: one user's keys, one slot, one script. */
class RedisClusterConformanceTest extends DecisionStoreConformance {

    private static RedisCluster cluster;
    private final List<LettuceConnection> connections = new ArrayList<>();

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

    @AfterEach
    void close() {
        connections.forEach(LettuceConnection::close);
    }

    @Override
    protected DecisionStore store(ScoringRules rules) {
        List<RedisURI> seeds = cluster.nodes().stream().map(RedisServer::port)
                .map(port -> RedisURI.create("127.0.0.1", port)).toList();
        LettuceConnection connection = LettuceConnection.cluster(seeds, Duration.ofSeconds(1), Duration.ofSeconds(2),
                List.of());
        connections.add(connection);
        return new RedisDecisionStore(connection, () -> rules, clock::millis);
    }
}
