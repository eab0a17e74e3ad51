package dev.abuseguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.DecisionStoreConformance;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.testsupport.RedisServer;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class RedisDecisionStoreConformanceTest extends DecisionStoreConformance {

    private final RedisServer redis = RedisServer.shared();
    private final List<LettuceConnection> connections = new ArrayList<>();

    @BeforeEach
    void emptyRedis() {
        redis.flushAll();
    }

    @Override
    protected DecisionStore store(ScoringRules rules) {
        LettuceConnection connection = LettuceConnection.standalone(
                RedisURI.create("127.0.0.1", redis.port()), Duration.ofSeconds(1), Duration.ofSeconds(2), List.of());
        connections.add(connection);
        return new RedisDecisionStore(connection, () -> rules, clock::millis);
    }

    @AfterEach
    void everyKeyHasATimeToLiveAndSharesTheUsersHashTag() {
        for (String key : redis.keys("*")) {
            assertThat(key).matches("ag:\\{u:[a-z]+\\}:(abuse|violations|s:[a-z_]+:[tsfl][0-9]+)");
            long ttl = Long.parseLong(redis.run("PTTL", key).get(0));
            assertThat(ttl).as("TTL of %s", key).isPositive();
        }
        connections.forEach(LettuceConnection::close);
    }
}
