package dev.abuseguard.overrides;

import dev.abuseguard.policy.TierLimit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.strategy.StrategyType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A tier cannot grow a sliding log past the cap an action is held to. */
class TiersTest {

    private static final Map<String, ActionPolicy> ACTIONS = Map.of(
            "log", ActionPolicy.of(10, Duration.ofHours(1), StrategyType.SLIDING_WINDOW),
            "counter", ActionPolicy.of(10, Duration.ofHours(1), StrategyType.SLIDING_WINDOW_COUNTER));

    private static Map<String, Map<String, TierLimit>> tier(String action, long limit) {
        return Map.of("premium", Map.of(action, new TierLimit(limit, Duration.ofHours(1))));
    }

    @Test
    void aTierOverTheSlidingLogsCapIsRefusedNamingIt() {
        assertThatThrownBy(() -> new Tiers(tier("log", 1001), ACTIONS))
                .hasMessageContaining("abuse-guard.tiers.premium.log.limit")
                        .hasMessageContaining("sliding-window-counter");
        assertThat(new Tiers(tier("log", 1000), ACTIONS).exists("premium")).isTrue();
        assertThat(new Tiers(tier("counter", 1_000_000), ACTIONS).exists("premium")).isTrue();
    }
}
