package dev.abuseguard.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.strategy.StrategyType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Scenarios that hold whatever the time is, so they also run against stores whose clock a test cannot move
 * (Redis deciding at its own {@code TIME}). {@link DecisionStoreConformance} adds those that move the clock.
 */
public abstract class DecisionsAtAnyClock {

    protected abstract DecisionStore store(ScoringRules rules);

    protected static Action action(String name, long limit, Duration window, StrategyType strategy) {
        return new Action(name, ActionPolicy.of(limit, window, strategy));
    }

    protected static Decision decide(DecisionStore store, String user, Action action) {
        return store.decide(user, action).block(Duration.ofSeconds(5));
    }

    @Test
    void everyStrategyAdmitsItsLimitInABurstCountingDownThenRefusesWithATimeToRetry() {
        DecisionStore store = store(ScoringRules.defaults());
        for (StrategyType strategy : StrategyType.values()) {
            Action burst = action("burst_" + strategy.code(), 3, Duration.ofHours(1), strategy);
            String user = "burst" + strategy.code();
            if (strategy == StrategyType.LEAKY_BUCKET) {
                burst = new Action(burst.name(), new ActionPolicy(3, Duration.ofHours(1), strategy,
                        burst.policy().onStoreFailure(), Duration.ofHours(2), burst.policy().spendOn(),
                        burst.policy().failureStatuses(), null, false));
            }
            for (long remaining = 2; remaining >= 0; remaining--) {
                Decision allowed = decide(store, user, burst);
                assertThat(allowed.outcome()).as(strategy + " admits").isEqualTo(Outcome.ALLOWED);
                assertThat(allowed.remaining()).as(strategy + " remaining").isEqualTo(remaining);
            }
            Decision refused = decide(store, user, burst);
            assertThat(refused.outcome()).as(strategy + " refuses").isEqualTo(Outcome.RATE_LIMITED);
            assertThat(refused.retryAfterMillis()).as(strategy + " retry after").isPositive();
        }
    }

    @Test
    void theFifthViolationBlocksEveryActionUntilLiftedAndOtherUsersGoOn() {
        DecisionStore store = store(ScoringRules.defaults());
        Action payment = action("payment", 1, Duration.ofHours(1), StrategyType.FIXED_WINDOW);
        Action api = action("api_call", 100, Duration.ofMinutes(1), StrategyType.TOKEN_BUCKET);

        decide(store, "mallory", payment);
        long[] scores = new long[5];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = decide(store, "mallory", payment).abuseScore();
        }

        assertThat(scores).containsExactly(10, 25, 45, 70, 100);
        Decision blocked = decide(store, "mallory", api);
        assertThat(blocked.outcome()).isEqualTo(Outcome.BLOCKED);
        assertThat(blocked.retryAfterMillis()).isEqualTo(-1);
        assertThat(decide(store, "trent", payment).outcome()).isEqualTo(Outcome.ALLOWED);
    }
}
