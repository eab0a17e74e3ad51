package dev.abuseguard.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.abuseguard.abuse.AbuseRecord;
import dev.abuseguard.abuse.UserHistory;
import dev.abuseguard.abuse.UserStanding;
import dev.abuseguard.abuse.Violation;
import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.audit.EventType;
import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.Outcome;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.testsupport.ManualClock;
import dev.abuseguard.testsupport.TestPolicies;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin's view (stats, users, history) and actions (ban, unban, reset), with decay, against every
 * {@link AbuseRegistry} and the store it reads: both must show an operator the same users. Decisions go
 * through the observed store, as in the gateway, so the audit trail keeps the Redis indexes; what the
 * registry shows may trail a decision by the audit write, hence the waits.
 */
public abstract class AbuseRegistryConformance {

    /** 2027-01-15T08:00:00Z, as in the decision conformance suite. */
    protected static final long T0 = 1_800_000_000_000L;
    private static final Duration WAIT = Duration.ofSeconds(5);

    protected final ManualClock clock = new ManualClock(T0);

    /**
     * The observed decision store and the registry over the same state, and the events the admin API raises
     * beside each admin action (they keep the cross-user indexes of the Redis store).
     */
    protected record Fixture(DecisionStore decisions, AbuseRegistry registry, AbuseEvents events) {

        void reset(String user) {
            registry.reset(user).block(WAIT);
            events.admin(EventType.RESET, user, 0, "test", "", 0).block(WAIT);
        }

        void ban(String user) {
            long score = registry.ban(user, null).blockOptional(WAIT).orElse(0L);
            events.admin(EventType.BAN, user, score, "test", "until unbanned", AbuseRecord.BANNED).block(WAIT);
        }
    }

    protected abstract Fixture fixture(LivePolicies policies);

    private static LivePolicies policies(Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "actions.pack_create.limit", "1", "actions.pack_create.window", "1h",
                "actions.pack_create.strategy", "fixed-window",
                "actions.trade.limit", "5", "actions.trade.window", "1m", "actions.trade.strategy", "token-bucket"));
        properties.putAll(extra);
        return TestPolicies.of(properties);
    }

    private static Action action(LivePolicies policies, String name) {
        return policies.current().actions().find(name).orElseThrow();
    }

    private static Decision decide(Fixture fixture, String user, Action action) {
        return fixture.decisions().decide(user, action).block(WAIT);
    }

    /** One allowed request on the limit-1 action, then {@code violations} refused ones. */
    private static void violate(Fixture fixture, LivePolicies policies, String user, int violations) {
        Action packCreate = action(policies, "pack_create");
        decide(fixture, user, packCreate);
        for (int i = 0; i < violations; i++) {
            assertThat(decide(fixture, user, packCreate).outcome()).isNotEqualTo(Outcome.ALLOWED);
        }
    }

    private static UserHistory user(Fixture fixture, String user) {
        return fixture.registry().user(user).block(WAIT);
    }

    private static List<UserStanding> users(Fixture fixture) {
        return fixture.registry().users(0, 50).collectList().block(WAIT);
    }

    private static AbuseStats stats(Fixture fixture) {
        return fixture.registry().stats(50).block(WAIT);
    }

    @Test
    void violationsShowInTheStatsTheUsersAndTheHistory() {
        LivePolicies policies = policies(Map.of());
        Fixture fixture = fixture(policies);
        violate(fixture, policies, "mallory", 3);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(users(fixture)).extracting(UserStanding::userId, UserStanding::score, UserStanding::blocked,
                    UserStanding::violations, UserStanding::lastAction)
                    .containsExactly(tuple("mallory", 45L, false, 3L, "pack_create"));
            AbuseStats stats = stats(fixture);
            assertThat(List.of(stats.usersTracked(), stats.highAbuse(), stats.blocked(), stats.totalViolations()))
                    .containsExactly(1L, 0L, 0L, 3L);
        });
        assertThat(user(fixture, "mallory").violations()).extracting(Violation::scoreAfter).containsExactly(45L, 25L,
                10L);
        assertThat(user(fixture, "nobody")).isNull();
    }

    /** Within one millisecond the history is still newest first: 100 after 70, though "100" sorts before "70". */
    @Test
    void violationsInOneMillisecondAreListedNewestFirst() {
        LivePolicies policies = policies(Map.of());
        Fixture fixture = fixture(policies);
        violate(fixture, policies, "burst", 5);

        await().atMost(WAIT).untilAsserted(() -> assertThat(user(fixture, "burst").violations())
                .extracting(Violation::scoreAfter).containsExactly(100L, 70L, 45L, 25L, 10L));
    }

    @Test
    void aBanBlocksEveryActionUntilUnbanned() {
        LivePolicies policies = policies(Map.of());
        Fixture fixture = fixture(policies);
        decide(fixture, "eve", action(policies, "trade"));

        fixture.ban("eve");

        Decision banned = decide(fixture, "eve", action(policies, "trade"));
        assertThat(banned.outcome()).isEqualTo(Outcome.BLOCKED);
        assertThat(banned.retryAfterMillis()).isEqualTo(-1);
        assertThat(user(fixture, "eve").standing().blocked()).isTrue();
        assertThat(user(fixture, "eve").standing().blockedUntil()).isEqualTo(-1);

        assertThat(fixture.registry().unban("eve").block(WAIT)).isZero();
        assertThat(decide(fixture, "eve", action(policies, "trade")).outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(user(fixture, "eve").standing().blocked()).isFalse();
        assertThat(fixture.registry().unban("stranger").block(WAIT)).isNull();
    }

    @Test
    void aBanAndABlockUntilLiftedOutlastTheRecordsRetention() {
        LivePolicies policies = policies(Map.of("abuse.retention", "1d", "abuse.block-retention", "30d"));
        Fixture fixture = fixture(policies);
        fixture.ban("eve");
        violate(fixture, policies, "mallory", 5);

        clock.advance(Duration.ofDays(2));

        assertThat(decide(fixture, "eve", action(policies, "trade")).outcome()).isEqualTo(Outcome.BLOCKED);
        assertThat(decide(fixture, "mallory", action(policies, "trade")).outcome()).isEqualTo(Outcome.BLOCKED);
        assertThat(user(fixture, "eve").standing().blocked()).isTrue();
        keptAtLeast("eve", Duration.ofDays(29));
        keptAtLeast("mallory", Duration.ofDays(29));
    }

    /** Where the store's own keys expire by themselves (Redis), the record of the user lives this long yet. */
    protected void keptAtLeast(String user, Duration time) {
    }

    /** Where the store's own keys expire by themselves (Redis), the user's record and history live no longer. */
    protected void keptAtMost(String user, Duration time) {
    }

    @Test
    void aViolatorNeverBlockedIsKeptOnlyWhileTheScoreCanStillMatter() {
        LivePolicies policies = policies(Map.of("abuse.decay.half-life", "1h", "abuse.repeat-window", "30m",
                "abuse.retention", "30d"));
        Fixture fixture = fixture(policies);
        violate(fixture, policies, "passer-by", 1); // score 10: four halvings and it is gone
        keptAtMost("passer-by", Duration.ofHours(4));
        keptAtLeast("passer-by", Duration.ofHours(3));
        violate(fixture, policies, "blocked", 5);
        keptAtLeast("blocked", Duration.ofDays(29));

        clock.advance(Duration.ofHours(4).plusMinutes(1));
        assertThat(decide(fixture, "passer-by", action(policies, "pack_create")).abuseScore()).isZero();
    }

    @Test
    void aBannedUserWithoutViolationsIsListedWhateverTheMinimumScore() {
        LivePolicies policies = policies(Map.of());
        Fixture fixture = fixture(policies);
        violate(fixture, policies, "noisy", 3);
        fixture.ban("quiet");

        await().atMost(WAIT).untilAsserted(() -> assertThat(fixture.registry().users(50, 10).collectList().block(WAIT))
                .extracting(UserStanding::userId, UserStanding::blocked).containsExactly(tuple("quiet", true)));
        assertThat(users(fixture)).extracting(UserStanding::userId).containsExactly("quiet", "noisy");
        assertThat(stats(fixture).usersTracked()).isEqualTo(2);
    }

    @Test
    void usersWhoseRecordsExpiredLeaveTheStatsAndTheList() {
        LivePolicies policies = policies(Map.of("abuse.retention", "1h"));
        Fixture fixture = fixture(policies);
        violate(fixture, policies, "passing", 2);
        await().atMost(WAIT).untilAsserted(() -> assertThat(stats(fixture).usersTracked()).isEqualTo(1));

        clock.advance(Duration.ofMinutes(61));

        assertThat(stats(fixture).usersTracked()).isZero();
        assertThat(users(fixture)).isEmpty();
    }

    @Test
    void theViewsKeepAtMostMaxTrackedUsersTheLowestScoresFirstBlockedLast() {
        LivePolicies policies = policies(Map.of("abuse.max-tracked-users", "3"));
        Fixture fixture = fixture(policies);
        fixture.ban("banned");
        for (int user = 1; user <= 4; user++) {
            violate(fixture, policies, "u" + user, user); // scores 10, 25, 45, 70
        }

        await().atMost(WAIT).untilAsserted(() -> assertThat(users(fixture)).extracting(UserStanding::userId)
                .containsExactly("banned", "u4", "u3"));
        assertThat(stats(fixture).usersTracked()).isEqualTo(3);
    }

    @Test
    void aFullIndexEvictsBansLastEvenBelowBlockedUsersWithHigherScores() {
        LivePolicies policies = policies(Map.of("abuse.max-tracked-users", "3"));
        Fixture fixture = fixture(policies);
        fixture.ban("banned"); // score 0
        for (int user = 1; user <= 3; user++) {
            violate(fixture, policies, "blocked" + user, 5); // each blocked, score 100 or more
        }

        await().atMost(WAIT).untilAsserted(() -> assertThat(users(fixture)).extracting(UserStanding::userId)
                .hasSize(3).contains("banned"));
        assertThat(user(fixture, "banned").standing().blocked()).isTrue();
        assertThat(stats(fixture).blocked()).isEqualTo(3);
    }

    @Test
    void aTimedBanEndsByItself() {
        LivePolicies policies = policies(Map.of());
        Fixture fixture = fixture(policies);

        fixture.registry().ban("trent", Duration.ofMinutes(1)).block(WAIT);

        Decision banned = decide(fixture, "trent", action(policies, "trade"));
        assertThat(banned.outcome()).isEqualTo(Outcome.BLOCKED);
        assertThat(banned.retryAfterMillis()).isEqualTo(60_000);
        assertThat(user(fixture, "trent").standing().blockedUntil()).isEqualTo(T0 + 60_000);

        clock.advanceMillis(60_000);
        assertThat(decide(fixture, "trent", action(policies, "trade")).outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(user(fixture, "trent").standing().blocked()).isFalse();
    }

    @Test
    void aResetForgetsScoreHistoryBlockAndQuota() {
        LivePolicies policies = policies(Map.of());
        Fixture fixture = fixture(policies);
        violate(fixture, policies, "oscar", 5);
        assertThat(decide(fixture, "oscar", action(policies, "trade")).outcome()).isEqualTo(Outcome.BLOCKED);

        fixture.reset("oscar");

        assertThat(user(fixture, "oscar")).isNull();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(users(fixture)).isEmpty();
            assertThat(stats(fixture).usersTracked()).isZero();
            assertThat(stats(fixture).blocked()).isZero();
        });
        Decision fresh = decide(fixture, "oscar", action(policies, "pack_create"));
        assertThat(fresh.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(fresh.abuseScore()).isZero();
    }

    @Test
    void decayLiftsAnAutomaticBlockInEveryViewAsInTheDecision() {
        LivePolicies policies = policies(Map.of("abuse.decay.half-life", "1h"));
        Fixture fixture = fixture(policies);
        violate(fixture, policies, "peggy", 5); // 10, 25, 45, 70, 100: blocked
        await().atMost(WAIT).untilAsserted(() -> assertThat(stats(fixture).blocked()).isEqualTo(1));
        assertThat(user(fixture, "peggy").standing().blocked()).isTrue();

        clock.advanceMillis(72_000); // 100 - 100 * 72 s / 2 h = 99: below the threshold

        assertThat(decide(fixture, "peggy", action(policies, "trade")).outcome()).isEqualTo(Outcome.ALLOWED);
        UserStanding standing = user(fixture, "peggy").standing();
        assertThat(standing.blocked()).isFalse();
        assertThat(standing.score()).isEqualTo(99);
        assertThat(users(fixture)).extracting(UserStanding::blocked).containsExactly(false);
        assertThat(stats(fixture).blocked()).isZero();
    }

    @Test
    void theUsersViewCountsTheAutomaticBlocksAnUnbanKeepsThemAndAResetForgetsThem() {
        LivePolicies policies = policies(Map.of("abuse.block-duration", "10m", "abuse.block-duration-factor", "2",
                "abuse.max-block-duration", "1h"));
        Fixture fixture = fixture(policies);
        violate(fixture, policies, "greg", 5);
        assertThat(user(fixture, "greg").standing().blocks()).isEqualTo(1);
        assertThat(user(fixture, "greg").standing().blockedUntil()).isEqualTo(clock.millis() + 600_000);

        clock.advance(Duration.ofMinutes(10));
        assertThat(decide(fixture, "greg", action(policies, "pack_create")).newlyBlocked()).isTrue();
        UserStanding second = user(fixture, "greg").standing();
        assertThat(second.blocks()).isEqualTo(2);
        assertThat(second.blockedUntil()).isEqualTo(clock.millis() + 1_200_000);
        await().atMost(WAIT).untilAsserted(() -> assertThat(users(fixture)).extracting(UserStanding::blocks)
                .containsExactly(2L));

        fixture.registry().unban("greg").block(WAIT);
        assertThat(user(fixture, "greg").standing().blocks()).as("an unban lifts the block, not the count")
                .isEqualTo(2);
        fixture.reset("greg");
        assertThat(user(fixture, "greg")).isNull();
    }

    @Test
    void aShadowActionLeavesNothingForTheAdminsViews() {
        LivePolicies policies = policies(Map.of("actions.pack_create.shadow", "true"));
        Fixture fixture = fixture(policies);
        decide(fixture, "sam", action(policies, "pack_create"));
        for (int i = 0; i < 10; i++) { // forwarded, though enforcing would have refused them
            assertThat(decide(fixture, "sam", action(policies, "pack_create")).shadowOf())
                    .isEqualTo(Outcome.RATE_LIMITED);
        }

        UserHistory sam = user(fixture, "sam"); // Redis keeps no record; memory the user's quota, nothing else
        if (sam != null) {
            assertThat(sam.standing().score()).isZero();
            assertThat(sam.standing().violations()).isZero();
            assertThat(sam.violations()).isEmpty();
        }
        assertThat(users(fixture)).isEmpty();
        assertThat(stats(fixture).totalViolations()).isZero();
    }
}
