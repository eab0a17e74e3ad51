package dev.abuseguard.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.policy.TierLimit;
import dev.abuseguard.overrides.Tiers;
import dev.abuseguard.overrides.UserOverrides;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.policy.SpendOn;
import dev.abuseguard.policy.StoreFailureMode;
import dev.abuseguard.strategy.Quota;
import dev.abuseguard.strategy.StrategyType;
import dev.abuseguard.testsupport.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The same scenarios, with the same expected numbers, against every {@link DecisionStore}: the Java
 * strategies (in-memory store) and their Lua twins (Redis store) cannot drift apart. Time is a
 * {@link ManualClock}; the Redis store is handed it in place of Redis TIME.
 */
public abstract class DecisionStoreConformance extends DecisionsAtAnyClock {

    /** 2027-01-15T08:00:00Z: a whole hour, so fixed windows of minutes and hours start here. */
    protected static final long T0 = 1_800_000_000_000L;

    protected final ManualClock clock = new ManualClock(T0);

    private DecisionStore store() {
        return store(ScoringRules.defaults());
    }

    /**
     * A store and the operator's overrides it decides by: Redis reads them in the decision script, the single
     * instance through the overriding link in front of its memory.
     */
    public record Overridden(DecisionStore store, UserOverrides overrides) {
    }

    protected abstract Overridden overridden(ScoringRules rules, Tiers tiers);

    private static Decision allowed(long limit, long remaining, long resetAfter, long delay, long score) {
        return Decision.admitted(limit, remaining, resetAfter, delay, score);
    }

    private static Decision limited(long limit, long resetAfter, long retryAfter, long score, boolean newlyBlocked) {
        return newlyBlocked ? Decision.rateLimitedAndBlocked(limit, resetAfter, retryAfter, score, 0)
                : Decision.rateLimited(limit, resetAfter, retryAfter, score);
    }

    @Test
    void tokenBucketAllowsABurstOfLimitThenRefillsOneTokenPerWindowOverLimit() {
        DecisionStore store = store();
        Action packCreate = action("pack_create", 5, Duration.ofHours(1), StrategyType.TOKEN_BUCKET);
        long token = 720_000; // 1 h / 5

        assertThat(decide(store, "alice", packCreate)).isEqualTo(allowed(5, 4, token, 0, 0));
        assertThat(decide(store, "alice", packCreate)).isEqualTo(allowed(5, 3, 2 * token, 0, 0));
        assertThat(decide(store, "alice", packCreate)).isEqualTo(allowed(5, 2, 3 * token, 0, 0));
        assertThat(decide(store, "alice", packCreate)).isEqualTo(allowed(5, 1, 4 * token, 0, 0));
        assertThat(decide(store, "alice", packCreate)).isEqualTo(allowed(5, 0, 5 * token, 0, 0));
        assertThat(decide(store, "alice", packCreate)).isEqualTo(limited(5, 5 * token, token, 10, false));

        clock.advanceMillis(token - 1);
        assertThat(decide(store, "alice", packCreate)).isEqualTo(limited(5, 4 * token + 1, 1, 25, false));

        clock.advanceMillis(1); // denials spent nothing: exactly one token is back
        assertThat(decide(store, "alice", packCreate)).isEqualTo(allowed(5, 0, 5 * token, 0, 25));
        assertThat(decide(store, "bob", packCreate)).isEqualTo(allowed(5, 4, token, 0, 0));
    }

    @Test
    void tokenBucketWithAWindowThatLimitDoesNotDivideStaysExact() {
        DecisionStore store = store();
        Action odd = action("odd", 3, Duration.ofMillis(1000), StrategyType.TOKEN_BUCKET); // 333.33 ms a token

        for (int i = 0; i < 3; i++) {
            assertThat(decide(store, "carol", odd).outcome()).isEqualTo(Outcome.ALLOWED);
        }
        assertThat(decide(store, "carol", odd).retryAfterMillis()).isEqualTo(334);
        clock.advanceMillis(333);
        assertThat(decide(store, "carol", odd).outcome()).isEqualTo(Outcome.RATE_LIMITED);
        clock.advanceMillis(1);
        assertThat(decide(store, "carol", odd)).isEqualTo(allowed(3, 0, 1000, 0, 25));
    }

    @Test
    void slidingWindowAdmitsAtMostLimitInAnyTrailingWindow() {
        DecisionStore store = store();
        Action purchase = action("pack_purchase", 3, Duration.ofMinutes(1), StrategyType.SLIDING_WINDOW);

        assertThat(decide(store, "dave", purchase)).isEqualTo(allowed(3, 2, 60_000, 0, 0));
        clock.advance(Duration.ofSeconds(10));
        assertThat(decide(store, "dave", purchase)).isEqualTo(allowed(3, 1, 60_000, 0, 0));
        clock.advance(Duration.ofSeconds(10));
        assertThat(decide(store, "dave", purchase)).isEqualTo(allowed(3, 0, 60_000, 0, 0));
        clock.advance(Duration.ofSeconds(10));
        // oldest admitted at T0 leaves the window at T0 + 60 s; the newest (T0 + 20 s) at T0 + 80 s
        assertThat(decide(store, "dave", purchase)).isEqualTo(limited(3, 50_000, 30_000, 10, false));

        clock.advanceMillis(29_999);
        assertThat(decide(store, "dave", purchase)).isEqualTo(limited(3, 20_001, 1, 25, false));
        clock.advanceMillis(1);
        assertThat(decide(store, "dave", purchase)).isEqualTo(allowed(3, 0, 60_000, 0, 25));
    }

    @Test
    void fixedWindowResetsAtTheBoundaryAlignedToTheEpoch() {
        DecisionStore store = store();
        Action login = action("login_attempt", 2, Duration.ofMinutes(1), StrategyType.FIXED_WINDOW);
        clock.advance(Duration.ofSeconds(59));

        assertThat(decide(store, "erin", login)).isEqualTo(allowed(2, 1, 1_000, 0, 0));
        assertThat(decide(store, "erin", login)).isEqualTo(allowed(2, 0, 1_000, 0, 0));
        assertThat(decide(store, "erin", login)).isEqualTo(limited(2, 1_000, 1_000, 10, false));

        clock.advance(Duration.ofSeconds(1)); // a new window: the whole limit again
        assertThat(decide(store, "erin", login)).isEqualTo(allowed(2, 1, 60_000, 0, 10));
        assertThat(decide(store, "erin", login)).isEqualTo(allowed(2, 0, 60_000, 0, 10));
    }

    @Test
    void slidingWindowCounterWeighsThePreviousWindowByTheShareOfItStillInsideTheTrailingWindow() {
        DecisionStore store = store();
        Action trade = action("trade", 4, Duration.ofMinutes(1), StrategyType.SLIDING_WINDOW_COUNTER);
        clock.advance(Duration.ofSeconds(45));

        for (long remaining = 3; remaining >= 0; remaining--) { // counted until the end of the next window
            assertThat(decide(store, "rita", trade)).isEqualTo(allowed(4, remaining, 75_000, 0, 0));
        }
        // the window alone is full; 15 s into the next one its 4 weigh ceil(4 x 45/60) = 3
        assertThat(decide(store, "rita", trade)).isEqualTo(limited(4, 75_000, 30_000, 10, false));

        clock.advanceMillis(29_999); // 14.999 s into the next window: ceil(4 x 45.001/60) = 4
        assertThat(decide(store, "rita", trade)).isEqualTo(limited(4, 45_001, 1, 25, false));
        clock.advanceMillis(1);
        assertThat(decide(store, "rita", trade)).isEqualTo(allowed(4, 0, 105_000, 0, 25));
        // 1 + ceil(4 x 45/60) = 4; the previous 4 weigh 2 from 30 s into the window
        assertThat(decide(store, "rita", trade)).isEqualTo(limited(4, 105_000, 15_000, 45, false));
        clock.advanceMillis(14_999);
        assertThat(decide(store, "rita", trade).retryAfterMillis()).isEqualTo(1);
        clock.advanceMillis(1);
        assertThat(decide(store, "rita", trade)).isEqualTo(allowed(4, 0, 90_000, 0, 70));
    }

    @Test
    void slidingWindowCounterGivesBackARequestAdmittedBeforeTheBoundaryFromThePreviousWindow() {
        DecisionStore store = store();
        Action trade = action("trade", 2, Duration.ofMinutes(1), StrategyType.SLIDING_WINDOW_COUNTER);
        clock.advanceMillis(59_999);
        decide(store, "sven", trade);
        decide(store, "sven", trade);
        clock.advanceMillis(1); // a new window, in which the previous one still weighs its whole 2

        assertThat(store.decide("sven", trade, Spend.REFUND).block()).isEqualTo(allowed(2, 1, 60_000, 0, 0));
        assertThat(decide(store, "sven", trade)).isEqualTo(allowed(2, 0, 120_000, 0, 0));
        assertThat(decide(store, "sven", trade)).isEqualTo(limited(2, 120_000, 60_000, 10, false));
        assertThat(store.decide("sven", trade, Spend.REFUND).block()).as("the newest, in this window, goes back")
                .isEqualTo(allowed(2, 1, 60_000, 0, 10));
    }

    @Test
    void leakyBucketHoldsRequestsForTheirTurnAndRefusesTurnsBeyondMaxDelay() {
        DecisionStore store = store();
        Action shaped = new Action("shaped", new ActionPolicy(4, Duration.ofSeconds(4), StrategyType.LEAKY_BUCKET,
                StoreFailureMode.LOCAL, Duration.ofSeconds(2), SpendOn.REQUEST, List.of(401), null, false));

        assertThat(decide(store, "frank", shaped)).isEqualTo(allowed(4, 2, 1_000, 0, 0));
        assertThat(decide(store, "frank", shaped)).isEqualTo(allowed(4, 1, 2_000, 1_000, 0));
        assertThat(decide(store, "frank", shaped)).isEqualTo(allowed(4, 0, 3_000, 2_000, 0));
        // the next turn would be 3 s away, past max-delay 2 s
        assertThat(decide(store, "frank", shaped)).isEqualTo(limited(4, 3_000, 1_000, 10, false));

        clock.advance(Duration.ofSeconds(1));
        assertThat(decide(store, "frank", shaped)).isEqualTo(allowed(4, 0, 3_000, 2_000, 10));
    }

    @Test
    void leakyBucketQueueHoldsLimitPlacesWhenMaxDelayAllowsIt() {
        DecisionStore store = store();
        Action queue = new Action("queue", new ActionPolicy(3, Duration.ofSeconds(3), StrategyType.LEAKY_BUCKET,
                StoreFailureMode.LOCAL, Duration.ofSeconds(10), SpendOn.REQUEST, List.of(401), null, false));

        assertThat(decide(store, "gina", queue).delayMillis()).isEqualTo(0);
        assertThat(decide(store, "gina", queue).delayMillis()).isEqualTo(1_000);
        assertThat(decide(store, "gina", queue).delayMillis()).isEqualTo(2_000);
        assertThat(decide(store, "gina", queue)).isEqualTo(limited(3, 3_000, 1_000, 10, false));
    }

    @Test
    void violationsScoreTenTwentyFiveFortyFiveSeventyHundredAndTheFifthBlocksEveryAction() {
        DecisionStore store = store();
        Action payment = action("payment", 1, Duration.ofHours(1), StrategyType.TOKEN_BUCKET);
        Action api = action("api_call", 100, Duration.ofMinutes(1), StrategyType.TOKEN_BUCKET);

        assertThat(decide(store, "mallory", payment).outcome()).isEqualTo(Outcome.ALLOWED);
        long[] expected = {10, 25, 45, 70, 100};
        for (int i = 0; i < expected.length; i++) {
            clock.advance(Duration.ofSeconds(1));
            Decision decision = decide(store, "mallory", payment);
            assertThat(decision.outcome()).isEqualTo(Outcome.RATE_LIMITED);
            assertThat(decision.abuseScore()).isEqualTo(expected[i]);
            assertThat(decision.newlyBlocked()).isEqualTo(i == expected.length - 1);
        }

        Decision blocked = Decision.blocked(100, -1, 100);
        assertThat(decide(store, "mallory", api)).isEqualTo(blocked);
        clock.advance(Duration.ofDays(1));
        assertThat(decide(store, "mallory", api)).isEqualTo(blocked);
        assertThat(decide(store, "trent", api).outcome()).isEqualTo(Outcome.ALLOWED);
    }

    @Test
    void aTimedBlockEndsByItselfAndSaysWhen() {
        DecisionStore store = store(ScoringRules.defaults().withBlockDuration(600_000));
        Action payment = action("payment", 1, Duration.ofHours(1), StrategyType.TOKEN_BUCKET);
        Action api = action("api_call", 100, Duration.ofMinutes(1), StrategyType.TOKEN_BUCKET);
        decide(store, "oscar", payment);
        for (int i = 0; i < 5; i++) {
            decide(store, "oscar", payment);
        }

        clock.advance(Duration.ofMinutes(4));
        assertThat(decide(store, "oscar", api)).isEqualTo(Decision.blocked(100, 360_000, 100));
        clock.advance(Duration.ofMinutes(6));
        assertThat(decide(store, "oscar", api)).isEqualTo(allowed(100, 99, 600, 0, 100));
    }

    @Test
    void anActionThatSpendsOnFailureCountsAttemptsInFlightAndGivesBackWhatTheBackendAccepted() {
        DecisionStore store = store();
        Action failedLogin = new Action("failed_login", new ActionPolicy(3, Duration.ofMinutes(15),
                StrategyType.FIXED_WINDOW, StoreFailureMode.LOCAL, Duration.ofSeconds(2), SpendOn.FAILURE,
                List.of(401, 403), null, false));

        for (int i = 0; i < 10; i++) { // successful logins one after another: each spends, and is given back
            assertThat(decide(store, "ivan", failedLogin)).isEqualTo(allowed(3, 2, 900_000, 0, 0));
            assertThat(store.decide("ivan", failedLogin, Spend.REFUND).block())
                    .isEqualTo(allowed(3, 3, 900_000, 0, 0));
        }
        for (long remaining = 2; remaining >= 0; remaining--) { // three attempts in flight at once
            assertThat(decide(store, "ivan", failedLogin)).isEqualTo(allowed(3, remaining, 900_000, 0, 0));
        }
        // a fourth attempt while three are in flight is refused, and is a violation like any other 429
        assertThat(decide(store, "ivan", failedLogin)).isEqualTo(limited(3, 900_000, 900_000, 10, false));

        // one of the three succeeded: its unit comes back, and the next attempt goes through
        assertThat(store.decide("ivan", failedLogin, Spend.REFUND).block())
                .isEqualTo(allowed(3, 1, 900_000, 0, 10));
        assertThat(decide(store, "ivan", failedLogin)).isEqualTo(allowed(3, 0, 900_000, 0, 10));
        clock.advance(Duration.ofMinutes(15));
        assertThat(store.decide("ivan", failedLogin, Spend.REFUND).block())
                .as("nothing to give back in a new window").isEqualTo(allowed(3, 3, 900_000, 0, 10));
    }

    @Test
    void everyStrategyGivesBackOneAdmittedRequest() {
        DecisionStore store = store();
        for (StrategyType strategy : StrategyType.values()) {
            Action action = action("refund_" + strategy.code(), 2, Duration.ofMinutes(1), strategy);
            String user = "refund" + strategy.code();
            decide(store, user, action);
            decide(store, user, action);
            assertThat(decide(store, user, action).outcome()).as(strategy + " full").isEqualTo(Outcome.RATE_LIMITED);

            Decision refunded = store.decide(user, action, Spend.REFUND).block();

            assertThat(refunded.outcome()).isEqualTo(Outcome.ALLOWED);
            assertThat(refunded.remaining()).as(strategy + " remaining after a refund").isEqualTo(1);
            assertThat(decide(store, user, action).outcome()).as(strategy + " admits again").isEqualTo(Outcome.ALLOWED);
            assertThat(decide(store, user, action).outcome()).as(strategy + " full again")
                    .isEqualTo(Outcome.RATE_LIMITED);
        }
    }

    @Test
    void withAHalfLifeTheScoreDecaysAndAnAutomaticBlockLiftsBelowTheThreshold() {
        DecisionStore store = store(ScoringRules.defaults().withHalfLife(3_600_000));
        Action payment = action("payment", 1, Duration.ofHours(1), StrategyType.TOKEN_BUCKET);
        Action api = action("api_call", 100, Duration.ofMinutes(1), StrategyType.TOKEN_BUCKET);
        decide(store, "victor", payment);
        for (int i = 0; i < 5; i++) {
            decide(store, "victor", payment);
        }
        assertThat(decide(store, "victor", api).outcome()).isEqualTo(Outcome.BLOCKED);

        clock.advance(Duration.ofMinutes(30)); // half a half-life: 100 -> 75, below the threshold: the block lifts
        assertThat(decide(store, "victor", api)).isEqualTo(allowed(100, 99, 600, 0, 75));
        clock.advance(Duration.ofMinutes(60)); // 90 min: one half-life (50), then a quarter of that off -> 38
        assertThat(decide(store, "victor", api)).isEqualTo(allowed(100, 99, 600, 0, 38));

        clock.advance(Duration.ofHours(2)); // a violation now starts from the decayed score: 9 + 10
        Action daily = action("daily", 1, Duration.ofDays(1), StrategyType.FIXED_WINDOW);
        decide(store, "victor", daily);
        assertThat(decide(store, "victor", daily)).isEqualTo(limited(1, 45_000_000, 45_000_000, 19,
                false)); // 11:30 UTC
    }

    @Test
    void violationsFurtherApartThanTheRepeatWindowDoNotEscalate() {
        DecisionStore store = store();
        Action daily = action("daily", 1, Duration.ofDays(1), StrategyType.FIXED_WINDOW);
        clock.advance(Duration.ofHours(1));
        decide(store, "peggy", daily);

        assertThat(decide(store, "peggy", daily).abuseScore()).isEqualTo(10);
        clock.advance(Duration.ofMinutes(61));
        assertThat(decide(store, "peggy", daily).abuseScore()).isEqualTo(20);
        clock.advance(Duration.ofMinutes(30));
        assertThat(decide(store, "peggy", daily).abuseScore()).isEqualTo(35);
    }

    @Test
    void anExemptUserSpendsNothingIsNeverScoredAndPaysAgainWhenTheExemptionEnds() {
        Overridden overridden = overridden(ScoringRules.defaults(), Tiers.none());
        Action tiny = action("tiny", 1, Duration.ofHours(1), StrategyType.TOKEN_BUCKET);
        overridden.overrides().exempt("vip", "conformance", Duration.ofMinutes(1)).block(Duration.ofSeconds(5));

        for (int i = 0; i < 5; i++) {
            assertThat(decide(overridden.store(), "vip", tiny)).isEqualTo(Decision.exempt(1));
        }
        clock.advance(Duration.ofMinutes(1)); // the exemption has ended: the whole quota is there, no score
        assertThat(decide(overridden.store(), "vip", tiny)).isEqualTo(allowed(1, 0, 3_600_000, 0, 0));
        assertThat(decide(overridden.store(), "vip", tiny)).isEqualTo(limited(1, 3_600_000, 3_600_000, 10, false));
    }

    @Test
    void anOwnLimitWinsOverTheTierAndTheTierOverTheAction() {
        Tiers tiers = new Tiers(Map.of("premium", Map.of("tiny", new TierLimit(3,
                Duration.ofHours(1)))), Set.of("tiny"));
        Overridden overridden = overridden(ScoringRules.defaults(), tiers);
        DecisionStore store = overridden.store();
        UserOverrides overrides = overridden.overrides();
        Action tiny = action("tiny", 1, Duration.ofHours(1), StrategyType.TOKEN_BUCKET);
        overrides.tier("gold", "premium").block(Duration.ofSeconds(5));
        overrides.tier("own", "premium").block(Duration.ofSeconds(5));
        overrides.limit("own", "tiny", new Quota(2, 3_600_000, 0)).block(Duration.ofSeconds(5));

        assertThat(decide(store, "plain", tiny)).isEqualTo(allowed(1, 0, 3_600_000, 0, 0));
        assertThat(decide(store, "gold", tiny)).isEqualTo(allowed(3, 2, 1_200_000, 0, 0));
        assertThat(decide(store, "own", tiny)).isEqualTo(allowed(2, 1, 1_800_000, 0, 0));
        assertThat(decide(store, "own", tiny)).isEqualTo(allowed(2, 0, 3_600_000, 0, 0));
        assertThat(decide(store, "own", tiny)).isEqualTo(limited(2, 3_600_000, 1_800_000, 10, false));

        overrides.clearLimit("own", "tiny").block(Duration.ofSeconds(5));
        assertThat(decide(store, "own", tiny).limit()).as("back to the tier's").isEqualTo(3);
        overrides.clearTier("gold").block(Duration.ofSeconds(5));
        assertThat(decide(store, "gold", tiny).limit()).as("back to the action's").isEqualTo(1);
    }

    @Test
    void aShadowActionSpendsAsIfEnforcedIsForwardedAndNeverScoresOrBlocks() {
        DecisionStore store = new ShadowDecisionStore(store());
        Action shadow = new Action("trial", ActionPolicy.of(2, Duration.ofHours(1), StrategyType.TOKEN_BUCKET)
                .withShadow(true));
        Action enforced = action("payment", 1, Duration.ofHours(1), StrategyType.TOKEN_BUCKET);

        assertThat(decide(store, "sam", shadow)).isEqualTo(allowed(2, 1, 1_800_000, 0, 0));
        assertThat(decide(store, "sam", shadow)).isEqualTo(allowed(2, 0, 3_600_000, 0, 0));
        Decision forwarded = Decision.rateLimited(2, 3_600_000, 3_600_000, 0).inShadow();
        for (int i = 0; i < 10; i++) { // ten would-be violations: enforced, the fifth would have blocked
            assertThat(decide(store, "sam", shadow)).isEqualTo(forwarded);
        }
        clock.advanceMillis(1_800_000); // spent as if enforced: one token back after half an hour, not more
        assertThat(decide(store, "sam", shadow)).isEqualTo(allowed(2, 0, 3_600_000, 0, 0));

        decide(store, "sam", enforced);
        assertThat(decide(store, "sam", enforced)).as("no violation was recorded before")
                .isEqualTo(limited(1, 3_600_000, 3_600_000, 10, false));
        for (int i = 0; i < 4; i++) {
            decide(store, "sam", enforced);
        }
        assertThat(decide(store, "sam", shadow)).as("a block from an enforced action is only counted there")
                .isEqualTo(Decision.blocked(2, 0, 100).inShadow());
        assertThat(decide(store, "sam", enforced).outcome()).isEqualTo(Outcome.BLOCKED);
    }

    @Test
    void growingBansLastTheBlockDurationTimesTheFactorForEachEarlierBlockAtMostTheLongest() {
        DecisionStore store = store(ScoringRules.defaults().withBlockDuration(600_000)
                .withGrowingBlocks(200, 1_500_000));
        Action payment = action("payment", 1, Duration.ofHours(1), StrategyType.TOKEN_BUCKET);
        Action api = action("api_call", 100, Duration.ofMinutes(1), StrategyType.TOKEN_BUCKET);
        decide(store, "greg", payment);
        Decision first = null;
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            first = decide(store, "greg", payment);
        }
        assertThat(first.newlyBlocked()).isTrue();
        assertThat(first.blockMillis()).isEqualTo(600_000);
        assertThat(decide(store, "greg", api).retryAfterMillis()).isEqualTo(600_000);

        long[] expected = {1_200_000, 1_500_000, 1_500_000}; // 10 min x 2, x 4 capped at 25 min, and so on
        for (long length : expected) {
            clock.advanceMillis(decide(store, "greg", api).retryAfterMillis()); // the block ends by itself
            assertThat(decide(store, "greg", api).outcome()).isEqualTo(Outcome.ALLOWED);
            Decision again = decide(store, "greg", payment); // one violation: the score is past the threshold
            assertThat(again.outcome()).isEqualTo(Outcome.RATE_LIMITED);
            assertThat(again.newlyBlocked()).isTrue();
            assertThat(again.blockMillis()).isEqualTo(length);
            assertThat(decide(store, "greg", api)).isEqualTo(Decision.blocked(100, length, again.abuseScore()));
        }
    }

    @Test
    void withoutAFactorEveryBlockLastsTheBlockDuration() {
        DecisionStore store = store(ScoringRules.defaults().withBlockDuration(600_000));
        Action payment = action("payment", 1, Duration.ofHours(1), StrategyType.TOKEN_BUCKET);
        decide(store, "hugo", payment);
        List<Long> lengths = new ArrayList<>();
        for (int request = 0; request < 8; request++) { // five to the first block, then one for each next
            Decision decision = decide(store, "hugo", payment);
            if (decision.newlyBlocked()) {
                lengths.add(decision.blockMillis());
                clock.advance(Duration.ofMinutes(10));
            }
        }
        assertThat(lengths).containsExactly(600_000L, 600_000L, 600_000L, 600_000L);
    }
}
