package dev.abuseguard.trends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.Outcome;
import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.strategy.StrategyType;
import dev.abuseguard.testsupport.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One instance without Redis: its own counts, by minute, action and outcome, on the test's clock. */
class TrendsTest {

    /** 2026-12-02T05:40:00Z */
    static final long MINUTE = Instant.parse("2026-12-02T05:40:00Z").toEpochMilli();
    static final Action PACKS = new Action("pack_create", ActionPolicy.of(5, Duration.ofHours(1),
            StrategyType.TOKEN_BUCKET));
    static final Action LOGIN = new Action("login_attempt", ActionPolicy.of(10, Duration.ofMinutes(15),
            StrategyType.FIXED_WINDOW));

    private final ManualClock clock = new ManualClock(MINUTE + 5_000);
    private final List<Trends> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(Trends::close);
    }

    /** The flush timer never fires on its own: the tests flush. */
    static AbuseGuardProperties.Trends settings(int maxOffendersPerMinute) {
        return new AbuseGuardProperties.Trends(Duration.ofHours(1), Duration.ofHours(25), maxOffendersPerMinute);
    }

    private Trends trends(int maxOffendersPerMinute) {
        Trends trends = Trends.start(settings(maxOffendersPerMinute), null, clock);
        started.add(trends);
        return trends;
    }

    static Decision decision(Outcome outcome) {
        return switch (outcome) {
            case ALLOWED -> Decision.admitted(5, 0, 1000, 0, 0);
            case RATE_LIMITED -> Decision.rateLimited(5, 1000, 1000, 0);
            case BLOCKED -> Decision.blocked(5, 0, 0);
            case EXEMPT -> Decision.exempt(5);
            case STORE_UNAVAILABLE -> Decision.storeUnavailable(5, 0);
        };
    }

    static void decide(Trends trends, String user, Action action, Outcome outcome, int times) {
        for (int i = 0; i < times; i++) {
            trends.recorder().decided(user, action, decision(outcome));
        }
    }

    @Test
    void countsAreServedByMinuteAndActionOnceFlushedAndNeverBefore() {
        Trends trends = trends(1000);
        decide(trends, "42", PACKS, Outcome.ALLOWED, 12);
        decide(trends, "42", PACKS, Outcome.RATE_LIMITED, 3);
        decide(trends, "42", PACKS, Outcome.BLOCKED, 2);
        decide(trends, "7", LOGIN, Outcome.STORE_UNAVAILABLE, 4);
        decide(trends, "staff", PACKS, Outcome.EXEMPT, 5); // forwarded: allowed, not a store failure
        assertThat(trends.rows(60).block()).isEmpty();

        trends.flush().block();
        clock.advance(Duration.ofMinutes(1));
        decide(trends, "42", PACKS, Outcome.BLOCKED, 1);
        trends.flush().block();

        assertThat(trends.rows(60).block()).containsExactly(
                new TrendRow(Instant.parse("2026-12-02T05:40:00Z"), "login_attempt", 0, 0, 0, 0, 4),
                new TrendRow(Instant.parse("2026-12-02T05:40:00Z"), "pack_create", 17, 3, 2, 0, 0),
                new TrendRow(Instant.parse("2026-12-02T05:41:00Z"), "pack_create", 0, 0, 1, 0, 0));
        assertThat(trends.rows(1).block()).as("the current minute alone")
                .containsExactly(new TrendRow(Instant.parse("2026-12-02T05:41:00Z"), "pack_create", 0, 0, 1, 0, 0));
    }

    @Test
    void decisionsAfterTheClockIsSetBackCountInTheirMinute() {
        Trends trends = trends(1000);
        decide(trends, "42", PACKS, Outcome.ALLOWED, 3);
        trends.flush().block();
        clock.advance(Duration.ofMinutes(3));
        trends.flush().block(); // no decision since: the first minute leaves the recorder
        clock.advance(Duration.ofMinutes(-3)); // an NTP step back, say
        decide(trends, "42", PACKS, Outcome.ALLOWED, 2);
        trends.flush().block();

        assertThat(trends.rows(1).block()).as("the minute the clock is back in")
                .containsExactly(new TrendRow(Instant.parse("2026-12-02T05:40:00Z"), "pack_create", 5, 0, 0, 0, 0));
    }

    @Test
    void offendersAreTheUsersWithTheMostViolationsOfTheMinutesAskedFor() {
        Trends trends = trends(1000);
        decide(trends, "old", PACKS, Outcome.RATE_LIMITED, 9);
        trends.flush().block();
        clock.advance(Duration.ofMinutes(30));
        decide(trends, "mallory", PACKS, Outcome.RATE_LIMITED, 4);
        decide(trends, "mallory", LOGIN, Outcome.RATE_LIMITED, 1);
        decide(trends, "eve", PACKS, Outcome.RATE_LIMITED, 2);
        decide(trends, "polite", PACKS, Outcome.ALLOWED, 50);
        trends.flush().block();

        assertThat(trends.offenders(60, 10).block()).containsExactly(
                new Offender("old", 9), new Offender("mallory", 5), new Offender("eve", 2));
        assertThat(trends.offenders(10, 2).block()).containsExactly(new Offender("mallory", 5), new Offender("eve", 2));
        clock.advance(Duration.ofMinutes(31));
        assertThat(trends.offenders(60, 10).block()).as("'old' violated 61 minutes ago")
                .containsExactly(new Offender("mallory", 5), new Offender("eve", 2));
    }

    @Test
    void readsOutsideTheKeptRangeAreRefused() {
        Trends trends = trends(1000);
        assertThatThrownBy(() -> trends.rows(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> trends.rows(Trends.MAX_MINUTES + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> trends.offenders(Trends.OFFENDER_MINUTES + 1, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(trends.rows(Trends.MAX_MINUTES).block()).isEmpty();
    }

    /**
     * Hostile ids chosen to grow our state: 5,000 distinct violators in one minute. At most the configured
     * number are ranked, every violation is still counted; and a day and more of minutes keeps no more than
     * the minutes a read can ask for.
     */
    @Test
    void stateIsBoundedHoweverManyUsersAndMinutes() {
        Trends trends = trends(100);
        for (int i = 0; i < 5000; i++) {
            decide(trends, "id-" + i, PACKS, Outcome.RATE_LIMITED, 1);
        }
        decide(trends, "id-3", PACKS, Outcome.RATE_LIMITED, 2);
        trends.flush().block();
        assertThat(trends.rows(1).block()).singleElement().extracting(TrendRow::rateLimited).isEqualTo(5002L);
        List<Offender> ranked = trends.offenders(1, 1000).block();
        assertThat(ranked).hasSizeLessThanOrEqualTo(100).first().isEqualTo(new Offender("id-3", 3));

        for (int minute = 0; minute < Trends.MAX_MINUTES + 200; minute++) {
            clock.advance(Duration.ofMinutes(1));
            decide(trends, "u", PACKS, Outcome.RATE_LIMITED, 1);
            trends.flush().block();
        }
        assertThat(trends.localMinutesKept()).isLessThanOrEqualTo(Trends.MAX_MINUTES + Trends.OFFENDER_MINUTES + 1);
        assertThat(trends.rows(Trends.MAX_MINUTES).block()).hasSize(Trends.MAX_MINUTES);
    }

    /** Eight threads deciding while another flushes without pause: not one decision is lost or counted twice. */
    @Test
    void decisionsRacingWithFlushesAreCountedExactlyOnce() throws Exception {
        Trends trends = trends(1000);
        int threads = 8, each = 20_000;
        CountDownLatch done = new CountDownLatch(threads);
        AtomicBoolean deciding = new AtomicBoolean(true);
        Thread flusher = new Thread(() -> {
            while (deciding.get()) {
                trends.flush().block();
            }
        });
        flusher.start();
        for (int t = 0; t < threads; t++) {
            String user = "racer-" + (t % 2);
            new Thread(() -> {
                decide(trends, user, PACKS, Outcome.RATE_LIMITED, each);
                done.countDown();
            }).start();
        }
        done.await();
        deciding.set(false);
        flusher.join();
        trends.flush().block();

        assertThat(trends.rows(1).block()).singleElement().extracting(TrendRow::rateLimited)
                .isEqualTo((long) threads * each);
        assertThat(trends.offenders(1, 10).block()).containsExactlyInAnyOrder(
                new Offender("racer-0", threads / 2L * each), new Offender("racer-1", threads / 2L * each));
    }
}
