package dev.abuseguard.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How far the counter strays from the exact log: both pure strategies see the same seeded streams of requests,
 * and every window-long span of the runs is compared; the counter is also judged by the exact rule over its own
 * admissions. Prints {@code FIGURES sliding-window-counter: ...} per traffic shape.
 */
class SlidingWindowCounterPrecisionTest {

    private static final Quota QUOTA = new Quota(100, 60_000, 0);
    private static final long LIMIT = QUOTA.limit();
    private static final long WINDOW = QUOTA.windowMillis();
    private static final long START = 1_800_000_000_000L;
    private static final int WINDOWS = 30;
    private static final int SEEDS = 20;

    enum Shape {
        /** Evenly spaced at 1.5 times the limit's rate. */
        STEADY((random, end) -> evenly(random, end, WINDOW * 2 / (3 * LIMIT))),
        /** A limit's worth in the second before each boundary and another in the second after it. */
        BOUNDARY_BURSTS(SlidingWindowCounterPrecisionTest::aroundEachBoundary),
        /** Poisson arrivals at a rate drawn every third of a window between a fifth and three times the limit's. */
        RANDOM(SlidingWindowCounterPrecisionTest::poisson);

        final BiFunction<Random, Long, long[]> arrivals;

        Shape(BiFunction<Random, Long, long[]> arrivals) {
            this.arrivals = arrivals;
        }
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void theCounterAgainstTheExactLog(Shape shape) {
        SpanDifferences everySpan = new SpanDifferences(0);
        SpanDifferences afterTwoWindows = new SpanDifferences(2 * WINDOW);
        OwnHistory own = new OwnHistory();
        long counterAdmitted = 0;
        long logAdmitted = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            long[] arrivals = shape.arrivals.apply(new Random(seed), START + WINDOWS * WINDOW);
            boolean[] allowed = Replay.decisions(StrategyType.SLIDING_WINDOW_COUNTER, QUOTA, arrivals);
            long[] counter = IntStream.range(0, arrivals.length).filter(i -> allowed[i]).mapToLong(i -> arrivals[i])
                    .toArray();
            long[] log = Replay.admitted(StrategyType.SLIDING_WINDOW, QUOTA, arrivals);
            everySpan.add(counter, log);
            afterTwoWindows.add(counter, log);
            own.add(arrivals, allowed);
            counterAdmitted += counter.length;
            logAdmitted += log.length;
        }
        System.out.printf("FIGURES sliding-window-counter: %s, limit %d per %d s, %d runs of %d windows; counter "
                        + "minus log in a window-long span, %% of the limit: %s (spans after the first two windows: "
                        + "%s); "
                        + "admitted %d vs %d (%+.2f%%); by the exact rule over its own admissions %s%n",
                shape.name().toLowerCase().replace('_', ' '), LIMIT, WINDOW / 1000, SEEDS, WINDOWS, everySpan,
                afterTwoWindows, counterAdmitted, logAdmitted, 100.0 * (counterAdmitted - logAdmitted) / logAdmitted,
                own);

        assertThat(everySpan.logMost).as("the log is exact").isLessThanOrEqualTo(LIMIT);
        assertThat(everySpan.counterMost).as("the counter's bound, 2 x limit - ceil(2 x limit / window)")
                .isLessThanOrEqualTo(2 * LIMIT - 1);
        assertThat(counterAdmitted).as("at most limit per aligned window: never above the limit's rate")
                .isLessThanOrEqualTo(LIMIT * WINDOWS * SEEDS);
        if (shape == Shape.STEADY) {
            assertThat(afterTwoWindows.counterMost).as("evenly spaced requests").isLessThanOrEqualTo(LIMIT);
            assertThat(own.over).as("evenly spaced requests").isZero();
        }
    }

    /** Admissions of the counter minus the log's in every span {@code [t, t + window)} from {@code START + from}. */
    private static final class SpanDifferences {
        private final long from;
        long spans;
        long sum;
        long sumOfAbsolutes;
        long mostOver;
        long mostUnder;
        long counterMost;
        long logMost;

        SpanDifferences(long from) {
            this.from = from;
        }

        void add(long[] counter, long[] log) {
            int[] counterPerMs = perMs(counter);
            int[] logPerMs = perMs(log);
            long inCounter = 0;
            long inLog = 0;
            for (int t = 0; t < counterPerMs.length; t++) { // the span ending at t
                inCounter += counterPerMs[t] - (t >= WINDOW ? counterPerMs[(int) (t - WINDOW)] : 0);
                inLog += logPerMs[t] - (t >= WINDOW ? logPerMs[(int) (t - WINDOW)] : 0);
                if (t + 1 - WINDOW >= from) {
                    long difference = inCounter - inLog;
                    spans++;
                    sum += difference;
                    sumOfAbsolutes += Math.abs(difference);
                    mostOver = Math.max(mostOver, difference);
                    mostUnder = Math.min(mostUnder, difference);
                    counterMost = Math.max(counterMost, inCounter);
                    logMost = Math.max(logMost, inLog);
                }
            }
        }

        private static int[] perMs(long[] admitted) {
            int[] perMs = new int[(int) (WINDOWS * WINDOW)];
            for (long at : admitted) {
                perMs[(int) (at - START)]++;
            }
            return perMs;
        }

        @Override
        public String toString() {
            return String.format("mean %+.2f%%, mean |.| %.2f%%, max %+.0f%%, min %+.0f%%, most in one span %d "
                            + "(log %d)",
                    100.0 * sum / spans / LIMIT, 100.0 * sumOfAbsolutes / spans / LIMIT, 100.0 * mostOver / LIMIT,
                    100.0 * mostUnder / LIMIT, counterMost, logMost);
        }
    }

    /**
     * The counter judged by the sliding log's rule over its own admissions: an admission with {@code limit} already
     * admitted in the trailing window is one too many; a refusal with fewer is one the log would not have made
     * (under steady overload nearly every refusal, as the rounded-up share holds the counter at {@code limit - 1}).
     */
    private static final class OwnHistory {
        long admissions;
        long over;
        long refusals;
        long needless;

        void add(long[] arrivals, boolean[] allowed) {
            ArrayDeque<Long> trailing = new ArrayDeque<>();
            for (int i = 0; i < arrivals.length; i++) {
                while (!trailing.isEmpty() && trailing.peekFirst() <= arrivals[i] - WINDOW) {
                    trailing.pollFirst();
                }
                boolean full = trailing.size() >= LIMIT;
                if (allowed[i]) {
                    admissions++;
                    over += full ? 1 : 0;
                    trailing.addLast(arrivals[i]);
                } else {
                    refusals++;
                    needless += full ? 0 : 1;
                }
            }
        }

        @Override
        public String toString() {
            return String.format("%.2f%% of admissions with the limit already in the trailing window, %.2f%% of "
                    + "refusals with room left",
                    100.0 * over / admissions, 100.0 * needless / refusals);
        }
    }

    private static long[] evenly(Random random, long end, long interval) {
        long first = START + random.nextInt((int) interval);
        return LongStream.iterate(first, at -> at < end, at -> at + interval).toArray();
    }

    private static long[] aroundEachBoundary(Random random, long end) {
        LongStream.Builder arrivals = LongStream.builder();
        for (long boundary = START + WINDOW; boundary < end; boundary += WINDOW) {
            for (int i = 0; i < LIMIT; i++) {
                arrivals.add(boundary - 1 - random.nextInt(1_000));
            }
            for (int i = 0; i < LIMIT; i++) {
                arrivals.add(boundary + random.nextInt(1_000));
            }
        }
        return arrivals.build().sorted().toArray();
    }

    private static long[] poisson(Random random, long end) {
        LongStream.Builder arrivals = LongStream.builder();
        long segment = WINDOW / 3;
        for (long from = START; from < end; from += segment) {
            double meanGap = WINDOW / (LIMIT * (0.2 + 2.8 * random.nextDouble()));
            for (double at = from; at < from + segment; at += -Math.log(1 - random.nextDouble()) * meanGap) {
                arrivals.add((long) at);
            }
        }
        return arrivals.build().toArray();
    }
}
