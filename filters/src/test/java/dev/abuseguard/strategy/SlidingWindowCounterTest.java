package dev.abuseguard.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The pure counter: its arithmetic, and what it guarantees. A sliding window counter is an approximation of the
 * sliding log, so it guarantees less than "at most {@code limit} in any window-long span":
 * <ul>
 *   <li>at most {@code limit} in each window aligned to the epoch, so never above the limit's rate in the long run;
 *   <li>at most {@code 2 * limit - ceil(2 * limit / window)} in any window-long span, reached when a whole window's
 *       worth arrives in the last ms of a window and the next window is used to its end;
 *   <li>at most {@code limit} in any window-long span when requests arrive evenly spaced, once the first two windows
 *       (whose admissions the first burst decides) have passed; under steady overload {@code limit - 1} a window
 *       (limit 1: one every other window), the price of rounding the previous window's share up.
 * </ul>
 */
class SlidingWindowCounterTest {

    private static final SlidingWindowCounter COUNTER = new SlidingWindowCounter();
    private static final long W = 1_000;
    /** A window's start: 2027-01-15T08:00:00Z. */
    private static final long START = 1_800_000_000_000L;

    @Test
    void aFreshUserIsAdmittedUpToTheLimitAndCountedUntilTheEndOfTheNextWindow() {
        Quota quota = new Quota(3, W, 0);
        Verdict<WindowPair> first = COUNTER.decide(null, START + 250, quota);

        assertThat(first).isEqualTo(new Verdict<>(true, 2, 1_750, 0, 0, new WindowPair(START, 0, 1), 1_750));
        Verdict<WindowPair> third = COUNTER.decide(COUNTER.decide(first.state(), START + 250, quota).state(),
                START + 250, quota);
        assertThat(third.remaining()).isZero();
        assertThat(COUNTER.decide(third.state(), START + 999, quota))
                .isEqualTo(new Verdict<>(false, 0, 1_001, 335, 0, third.state(), 1_001));
    }

    @Test
    void thePreviousWindowWeighsTheShareOfItStillInsideTheTrailingWindowRoundedUp() {
        Quota quota = new Quota(10, W, 0);
        WindowPair fullPrevious = new WindowPair(START - W, 0, 10);

        // 99 ms in: 10 x 901/1000 = 9.01, rounded up to 10: refused until the share is 9.0 at 100 ms
        assertThat(COUNTER.decide(fullPrevious, START + 99, quota))
                .isEqualTo(new Verdict<>(false, 0, 901, 1, 0, fullPrevious, 901));
        assertThat(COUNTER.decide(fullPrevious, START + 100, quota))
                .isEqualTo(new Verdict<>(true, 0, 1_900, 0, 0, new WindowPair(START, 10, 1), 1_900));
    }

    @Test
    void roundingUpRefusesWhereTheUnroundedWeightWouldStillAdmit() {
        Quota quota = new Quota(3, W, 0);
        WindowPair fullPrevious = new WindowPair(START - W, 0, 3);

        // 3 x 999/1000 = 2.997 is below 3, yet all 3 may lie in the last 999 ms of the previous window
        Verdict<WindowPair> refused = COUNTER.decide(fullPrevious, START + 1, quota);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterMillis()).as("3 x 666/1000 rounds up to 2 at 334 ms").isEqualTo(333);
    }

    @Test
    void aFullCurrentWindowWaitsForTheNextAndItsShareToShrink() {
        Quota quota = new Quota(4, W, 0);
        WindowPair full = new WindowPair(START, 2, 4);

        // at the boundary the 4 weigh 4; at 250 ms into the next window ceil(4 x 750/1000) = 3
        assertThat(COUNTER.decide(full, START + 600, quota).retryAfterMillis()).isEqualTo(650);
        assertThat(COUNTER.decide(full, START + W + 249, quota).allowed()).isFalse();
        assertThat(COUNTER.decide(full, START + W + 250, quota).allowed()).isTrue();
    }

    @Test
    void remainingResetAfterAndRetryAfterAreExact() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            long limit = 1 + random.nextInt(20);
            long window = 1 + random.nextInt(3_000);
            Quota quota = new Quota(limit, window, 0);
            long now = START + random.nextInt(5_000_000);
            long start = now - Math.floorMod(now, window);
            WindowPair state = new WindowPair(start - window * random.nextInt(2), random.nextInt((int) limit + 1),
                    random.nextInt((int) limit + 1));
            Verdict<WindowPair> verdict = COUNTER.decide(state, now, quota);
            String context = state + " at " + now + ", " + quota;
            if (verdict.allowed()) {
                assertThat(admittedAtOnce(verdict.state(), now, quota)).as(context).isEqualTo(verdict.remaining());
            } else {
                long retry = verdict.retryAfterMillis();
                assertThat(COUNTER.decide(state, now + retry - 1, quota).allowed()).as(context).isFalse();
                assertThat(COUNTER.decide(state, now + retry, quota).allowed()).as(context).isTrue();
            }
            WindowPair kept = verdict.allowed() ? verdict.state() : state;
            long reset = verdict.resetAfterMillis();
            assertThat(verdict.stateTtlMillis()).as(context).isEqualTo(reset);
            assertThat(admittedAtOnce(kept, now + reset, quota)).as("whole again: " + context).isEqualTo(limit);
            assertThat(admittedAtOnce(kept, now + reset - 1, quota)).as("not yet: " + context).isLessThan(limit);
        }
    }

    private static long admittedAtOnce(WindowPair state, long now, Quota quota) {
        long admitted = 0;
        for (Verdict<WindowPair> next = COUNTER.decide(state, now, quota); next.allowed();
             next = COUNTER.decide(next.state(), now, quota)) {
            admitted++;
        }
        return admitted;
    }

    @Test
    void aRefundGivesBackTheNewestAdmissionFromTheCurrentWindowElseFromThePreviousOne() {
        Quota quota = new Quota(4, W, 0);

        assertThat(COUNTER.refund(new WindowPair(START, 3, 2), START + 500, quota))
                .isEqualTo(new Verdict<>(true, 1, 1_500, 0, 0, new WindowPair(START, 3, 1), 1_500));
        assertThat(COUNTER.refund(new WindowPair(START - W, 1, 2), START + 500, quota))
                .as("admitted before the boundary, given back after it")
                .isEqualTo(new Verdict<>(true, 3, 500, 0, 0, new WindowPair(START, 1, 0), 500));
        assertThat(COUNTER.refund(new WindowPair(START - W, 0, 1), START + 500, quota))
                .isEqualTo(new Verdict<>(true, 4, 0, 0, 0, null, 0));
    }

    @Test
    void nothingToGiveBackLeavesAFreshState() {
        Quota quota = new Quota(4, W, 0);

        assertThat(COUNTER.refund(null, START, quota)).isEqualTo(new Verdict<>(true, 4, 0, 0, 0, null, 0));
        assertThat(COUNTER.refund(new WindowPair(START - 2 * W, 4, 4), START, quota))
                .isEqualTo(new Verdict<>(true, 4, 0, 0, 0, null, 0));
    }

    @Test
    void aStateFromALaterWindowCountsNothingAsInTheFixedWindow() {
        Quota quota = new Quota(2, W, 0);

        assertThat(COUNTER.decide(new WindowPair(START + W, 2, 2), START, quota).remaining()).isEqualTo(1);
    }

    @Test
    void countsWrittenUnderALargerLimitReadAsAFullWindow() {
        Quota lowered = new Quota(10, W, 0);

        Verdict<WindowPair> refused = COUNTER.decide(new WindowPair(START, 0, 50), START + 400, lowered);
        assertThat(refused.retryAfterMillis()).as("as for 10: 600 ms to the boundary, 100 more to 10 x 900/1000 = 9")
                .isEqualTo(700);
    }

    @Test
    void neverMoreThanTheLimitInAWindowAlignedToTheEpoch() {
        Random random = new Random(7);
        for (int run = 0; run < 500; run++) {
            Quota quota = new Quota(1 + random.nextInt(30), 1 + random.nextInt(2_000), 0);
            long[] admitted = Replay.admitted(StrategyType.SLIDING_WINDOW_COUNTER, quota, randomArrivals(random,
                    quota));
            assertThat(mostInAnAlignedWindow(admitted, quota.windowMillis())).as(quota.toString())
                    .isLessThanOrEqualTo(quota.limit());
        }
    }

    private static long mostInAnAlignedWindow(long[] admitted, long window) {
        long most = 0;
        for (int first = 0, last = 0; first < admitted.length; first = last) {
            while (last < admitted.length && Math.floorDiv(admitted[last], window) == Math.floorDiv(admitted[first],
                    window)) {
                last++;
            }
            most = Math.max(most, last - first);
        }
        return most;
    }

    @Test
    void atMostTwiceTheLimitLessOneInAnyWindowLongSpanAndThatIsReached() {
        Random random = new Random(11);
        for (int run = 0; run < 500; run++) {
            Quota quota = new Quota(1 + random.nextInt(30), 1 + random.nextInt(2_000), 0);
            long[] admitted = Replay.admitted(StrategyType.SLIDING_WINDOW_COUNTER, quota, randomArrivals(random,
                    quota));
            assertThat(Replay.mostInAnySpan(admitted, quota.windowMillis(), 0)).as(quota.toString())
                    .isLessThanOrEqualTo(worstCase(quota));
        }
        for (long limit : new long[] {1, 2, 5, 100}) {
            Quota quota = new Quota(limit, 60_000, 0);
            long[] admitted = Replay.admitted(StrategyType.SLIDING_WINDOW_COUNTER, quota, bunchedAtTheBoundary(quota));
            assertThat(Replay.mostInAnySpan(admitted, quota.windowMillis(), 0)).as(quota.toString())
                    .isEqualTo(worstCase(quota)).isEqualTo(2 * limit - 1);
        }
    }

    /**
     * A span starting {@code x} ms into a window holds at most the previous window's {@code p <= limit} plus what
     * the next window admits by {@code x - 1} ms in, {@code limit - ceil(p * (window - x + 1) / window)}: at most
     * {@code limit + floor(limit * (window - 2) / window)}.
     */
    private static long worstCase(Quota quota) {
        long limit = quota.limit();
        long window = quota.windowMillis();
        return window == 1 ? limit : 2 * limit - (2 * limit + window - 1) / window;
    }

    /** A whole window's worth in the last ms of a window, then one request every ms for two windows. */
    private static long[] bunchedAtTheBoundary(Quota quota) {
        long window = quota.windowMillis();
        LongStream burst = LongStream.range(0, quota.limit()).map(i -> START - 1);
        return LongStream.concat(burst, LongStream.range(START, START + 2 * window)).toArray();
    }

    @Test
    void evenlySpacedRequestsNeverMoreThanTheLimitInAnySpanOnceTheFirstTwoWindowsHavePassed() {
        Random random = new Random(3);
        for (int run = 0; run < 2_000; run++) {
            Quota quota = new Quota(1 + random.nextInt(200), 1 + random.nextInt(5_000), 0);
            long window = quota.windowMillis();
            long interval = 1 + random.nextInt((int) Math.max(1, 3 * window / quota.limit()));
            long first = START + random.nextInt((int) window);
            long[] arrivals = LongStream.range(0, Math.min(40_000, 10 * window / interval + 10))
                    .map(i -> first + i * interval).toArray();
            long[] admitted = Replay.admitted(StrategyType.SLIDING_WINDOW_COUNTER, quota, arrivals);
            assertThat(Replay.mostInAnySpan(admitted, window, first + 2 * window))
                    .as("%s, one every %d ms from %d", quota, interval, first).isLessThanOrEqualTo(quota.limit());
        }
    }

    @Test
    void roundingTheShareUpCostsOneRequestPerWindowUnderSteadyOverload() {
        for (long limit : new long[] {1, 2, 10, 100}) {
            Quota quota = new Quota(limit, 60_000, 0);
            long interval = 60_000 / (2 * limit);
            long[] arrivals = LongStream.iterate(START + 123, at -> at < START + 20 * 60_000, at -> at + interval)
                    .toArray();
            long[] admitted = Replay.admitted(StrategyType.SLIDING_WINDOW_COUNTER, quota, arrivals);
            long settled = LongStream.of(admitted).filter(at -> at >= START + 4 * 60_000).count();
            // limit 1: the previous window's one weighs 1 until its very end, so one every other window
            assertThat(settled).as("in 16 windows, limit %d", limit).isEqualTo(limit == 1 ? 8 : 16 * (limit - 1));
        }
    }

    /** Bursts and lulls: up to twice the limit's rate, some of it bunched. */
    private static long[] randomArrivals(Random random, Quota quota) {
        LongStream.Builder arrivals = LongStream.builder();
        long at = START - random.nextInt((int) quota.windowMillis());
        long end = at + 6 * quota.windowMillis();
        double meanGap = (double) quota.windowMillis() / (2 * quota.limit());
        while (at < end) {
            arrivals.add(at);
            at += random.nextInt(4) == 0 ? 0 : (long) (-Math.log(1 - random.nextDouble()) * meanGap);
        }
        return arrivals.build().toArray();
    }
}
