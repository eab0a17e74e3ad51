package dev.abuseguard.overrides;

import dev.abuseguard.policy.TierLimit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.Outcome;
import dev.abuseguard.memory.InMemoryDecisionStore;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.strategy.Quota;
import dev.abuseguard.strategy.StrategyType;
import dev.abuseguard.testsupport.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The single instance's overrides decide as the Redis script does: exempt, own limit over tier over action. */
class InMemoryOverridesTest {

    private final ManualClock clock = new ManualClock(1_000_000);
    private final Action tiny = new Action("tiny", ActionPolicy.of(1, Duration.ofHours(1), StrategyType.TOKEN_BUCKET));
    private final InMemoryUserOverrides overrides = new InMemoryUserOverrides(clock, 100, Duration.ofDays(1));
    private final Tiers tiers = new Tiers(Map.of("premium",
            Map.of("tiny", new TierLimit(3, Duration.ofHours(1)))), Set.of("tiny"));
    private final OverridingDecisionStore store = new OverridingDecisionStore(
            new InMemoryDecisionStore(clock, ScoringRules::defaults, 100), Set.of("staff"), overrides, tiers, clock);

    @Test
    void anExemptUserSpendsNothingUntilTheExemptionEnds() {
        overrides.exempt("vip", "test", Duration.ofMinutes(1)).block();
        for (int i = 0; i < 5; i++) {
            assertThat(decide("vip").outcome()).isEqualTo(Outcome.EXEMPT);
        }
        assertThat(decide("staff").outcome()).isEqualTo(Outcome.EXEMPT);
        assertThat(overrides.exempted(10).collectList().block()).extracting(ExemptUser::userId).containsExactly("vip");
        clock.advance(Duration.ofMinutes(1));
        assertThat(decide("vip").outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(decide("vip").outcome()).isEqualTo(Outcome.RATE_LIMITED);
    }

    @Test
    void anOwnLimitWinsOverTheTierAndTheTierOverTheAction() {
        overrides.tier("gold", "premium").block();
        assertThat(decide("gold").limit()).isEqualTo(3);
        overrides.limit("gold", "tiny", new Quota(2, 3_600_000, 0)).block();
        Decision own = decide("gold");
        assertThat(own.limit()).isEqualTo(2);
        assertThat(decide("plain").limit()).isEqualTo(1);
        assertThat(overrides.clearLimit("gold", "tiny").block()).isTrue();
        assertThat(decide("gold").limit()).isEqualTo(3);
        assertThat(overrides.clearTier("gold").block()).isTrue();
        assertThat(overrides.clearTier("gold").block()).isFalse();
    }

    @Test
    void theTiersReadByTheScriptNameEachTierOnce() {
        assertThat(tiers.scriptArgument("tiny")).isEqualTo(",premium=3:3600000,");
        assertThat(tiers.scriptArgument("other")).isEmpty();
    }

    private Decision decide(String user) {
        return store.decide(user, tiny).block();
    }
}
