package dev.abuseguard.redis;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.DecisionsAtAnyClock;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.testsupport.RedisServer;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The Redis store as it runs in the gateway: deciding at Redis' own {@code TIME}, not at a test's clock. */
class RedisServerTimeConformanceTest extends DecisionsAtAnyClock {

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
    protected DecisionStore store(ScoringRules rules) {
        LettuceConnection connection = LettuceConnection.standalone(
                RedisURI.create("127.0.0.1", redis.port()), Duration.ofSeconds(1), Duration.ofSeconds(2), List.of());
        connections.add(connection);
        return new RedisDecisionStore(connection, () -> rules);
    }
}
