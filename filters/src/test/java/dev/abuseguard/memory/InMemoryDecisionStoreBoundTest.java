package dev.abuseguard.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.Spend;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.strategy.StrategyType;
import dev.abuseguard.testsupport.ManualClock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InMemoryDecisionStoreBoundTest {

    private final ManualClock clock = new ManualClock(1_800_000_000_000L);

    @Test
    void aFloodOfDistinctUsersNeverGrowsTheStorePastItsBound() {
        InMemoryDecisionStore store = new InMemoryDecisionStore(clock, ScoringRules::defaults, 10_000);
        Action packCreate = new Action("pack_create", ActionPolicy.of(5, Duration.ofHours(1),
                StrategyType.TOKEN_BUCKET));

        long largest = 0;
        for (int i = 1; i <= 200_000; i++) {
            assertThat(store.decideNow(UUID.randomUUID().toString(), packCreate, Spend.CONSUME).allowed()).isTrue();
            if (i % 10_000 == 0) {
                largest = Math.max(largest, store.estimatedUsers());
            }
        }

        System.out.printf("FIGURES in-memory store: 200000 distinct users, largest size seen %d, bound 10000%n",
                largest);
        assertThat(largest).isEqualTo(10_000);
    }

    @Test
    void aUserWhoseStateIsFreshAgainLeavesTheStore() {
        InMemoryDecisionStore store = new InMemoryDecisionStore(clock, ScoringRules::defaults, 10_000);
        Action api = new Action("api_call", ActionPolicy.of(100, Duration.ofMinutes(1), StrategyType.TOKEN_BUCKET));
        for (int i = 0; i < 100; i++) {
            store.decideNow("user-" + i, api, Spend.CONSUME);
        }
        assertThat(store.estimatedUsers()).isEqualTo(100);

        // one request's worth of a 100-per-minute bucket drains in 600 ms; Caffeine's timer wheel
        // evicts in buckets of about 1.07 s, so the entry is gone within 2 s
        clock.advance(Duration.ofMillis(599));
        assertThat(store.estimatedUsers()).isEqualTo(100);
        clock.advance(Duration.ofMillis(1_401));

        assertThat(store.estimatedUsers()).isZero();
    }
}
