package dev.abuseguard.overrides;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.DecisionStoreConformance;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.memory.InMemoryDecisionStore;
import dev.abuseguard.redis.BlockInvalidations;
import dev.abuseguard.strategy.Quota;
import dev.abuseguard.testsupport.OpenConnections;
import dev.abuseguard.testsupport.RedisServer;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The local fallback of Redis decides the operator's overrides with the same numbers as the Redis script: the
 * overrides are written to Redis as the admin API writes them, read into this instance's copy, and the in-memory
 * store decides behind the copy.
 */
class FallbackOverridesConformanceTest extends DecisionStoreConformance {

    private final RedisServer redis = RedisServer.shared();
    @RegisterExtension
    final OpenConnections connections = new OpenConnections();
    private BlockInvalidations channel;

    @BeforeEach
    void emptyRedis() {
        redis.flushAll();
    }

    @AfterEach
    void closeChannel() {
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    protected DecisionStore store(ScoringRules rules) {
        return new InMemoryDecisionStore(clock, () -> rules, 10_000);
    }

    @Override
    protected Overridden overridden(ScoringRules rules, Tiers tiers) {
        LettuceConnection connection = connections.standalone(redis);
        channel = new BlockInvalidations(connection);
        KnownOverrides known = new KnownOverrides(10_000);
        RedisOverridesCopy copy = new RedisOverridesCopy(connection, channel, known, clock, 10_000);
        UserOverrides written = new RedisUserOverrides(connection, clock, Duration.ofDays(1), 10_000);
        return new Overridden(new OverridingDecisionStore(store(rules), Set.of(), known, tiers, clock),
                new ReadBack(written, copy));
    }

    /** Each change as the admin API makes it, then the copy read afresh, as after an outage. */
    private record ReadBack(UserOverrides written, RedisOverridesCopy copy) implements UserOverrides {

        @Override
        public Mono<Void> exempt(String userId, String reason, Duration duration) {
            return written.exempt(userId, reason, duration).then(copy.reload());
        }

        @Override
        public Mono<Boolean> liftExempt(String userId) {
            return written.liftExempt(userId).flatMap(was -> copy.reload().thenReturn(was));
        }

        @Override
        public Flux<ExemptUser> exempted(int limit) {
            return written.exempted(limit);
        }

        @Override
        public Mono<Void> limit(String userId, String action, Quota quota) {
            return written.limit(userId, action, quota).then(copy.reload());
        }

        @Override
        public Mono<Boolean> clearLimit(String userId, String action) {
            return written.clearLimit(userId, action).flatMap(was -> copy.reload().thenReturn(was));
        }

        @Override
        public Mono<Void> tier(String userId, String tier) {
            return written.tier(userId, tier).then(copy.reload());
        }

        @Override
        public Mono<Boolean> clearTier(String userId) {
            return written.clearTier(userId).flatMap(was -> copy.reload().thenReturn(was));
        }
    }
}
