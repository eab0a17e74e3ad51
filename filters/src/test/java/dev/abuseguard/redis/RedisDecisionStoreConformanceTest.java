package dev.abuseguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.DecisionStoreConformance;
import dev.abuseguard.decision.Spend;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.overrides.RedisUserOverrides;
import dev.abuseguard.overrides.Tiers;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.policy.SpendOn;
import dev.abuseguard.policy.StoreFailureMode;
import dev.abuseguard.strategy.RateLimitStrategy;
import dev.abuseguard.strategy.StrategyType;
import dev.abuseguard.strategy.Verdict;
import dev.abuseguard.testsupport.OpenConnections;
import dev.abuseguard.testsupport.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

    @Test
    void theSlidingWindowCountersKeyLastsUntilItsCountsNoLongerMatter() {
        DecisionStore store = store(ScoringRules.defaults());
        Action trade = action("trade", 3, Duration.ofMinutes(1), StrategyType.SLIDING_WINDOW_COUNTER);
        String key = UserKeys.state("tess", trade);
        clock.advance(Duration.ofSeconds(45));

        decide(store, "tess", trade);
        decide(store, "tess", trade);
        assertThat(redis.run("GET", key)).containsExactly(T0 + ":0:2");
        assertThat(pttl(key)).as("to the end of the next window").isBetween(74_000L, 75_000L);

        clock.advance(Duration.ofSeconds(30)); // in the next window only the previous one's share is left
        store.decide("tess", trade, Spend.REFUND).block(Duration.ofSeconds(5));
        assertThat(redis.run("GET", key)).containsExactly((T0 + 60_000) + ":1:0");
        assertThat(pttl(key)).as("to the end of this window").isBetween(44_000L, 45_000L);

        store.decide("tess", trade, Spend.REFUND).block(Duration.ofSeconds(5));
        assertThat(redis.run("EXISTS", key)).containsExactly("0");
    }

    /** Odd numbers, refunds among the requests, gaps from none to past the state's TTL: Lua and Java agree. */
    @Test
    void everyStrategysScriptDecidesAsItsJavaTwinOnRandomTraffic() {
        DecisionStore store = store(ScoringRules.defaults());
        Random random = new Random(5);
        for (StrategyType strategy : StrategyType.values()) {
            Action action = new Action("random_" + strategy.code(), new ActionPolicy(7, Duration.ofMillis(997),
                    strategy, StoreFailureMode.LOCAL, Duration.ofMillis(500), SpendOn.REQUEST, List.of(401), null,
                    true)); // in shadow mode a refusal is not scored, so the user is never blocked
            @SuppressWarnings("unchecked")
            RateLimitStrategy<Object> twin = (RateLimitStrategy<Object>) strategy.algorithm();
            Object state = null;
            for (int i = 0; i < 400; i++) {
                clock.advanceMillis(random.nextInt(10) == 0 ? random.nextInt(2_500) : random.nextInt(60));
                boolean refund = random.nextInt(8) == 0;
                Verdict<Object> expected = refund ? twin.refund(state, clock.millis(), action.quota())
                        : twin.decide(state, clock.millis(), action.quota());
                Decision actual = store.decide("rand", action, refund ? Spend.REFUND : Spend.CONSUME)
                        .block(Duration.ofSeconds(5));
                assertThat(List.of(actual.allowed(), actual.remaining(), actual.resetAfterMillis(),
                        actual.retryAfterMillis(), actual.delayMillis())).as("%s, step %d", strategy, i)
                        .isEqualTo(List.of(expected.allowed(), expected.remaining(), expected.resetAfterMillis(),
                                expected.retryAfterMillis(), expected.delayMillis()));
                state = expected.allowed() ? expected.state() : state;
            }
        }
    }

    private long pttl(String key) {
        return Long.parseLong(redis.run("PTTL", key).get(0));
    }

    @AfterEach
    void everyKeyHasATimeToLiveAndSharesTheUsersHashTag() {
        for (String key : redis.keys("*")) {
            assertThat(key).matches("ag:\\{u:[a-z]+\\}:(abuse|violations|o|ov|s:[a-z_]+:[tsflc][0-9]+)"
                    + "|ag:exempt|ag:\\{idx\\}:overridden");
            long ttl = Long.parseLong(redis.run("PTTL", key).get(0));
            assertThat(ttl).as("TTL of %s", key).isPositive();
        }
    }
}
