package dev.abuseguard.spike;

import java.util.ArrayDeque;

/**
 * Whether one action's rate spikes: pure arithmetic on integers, no clock of its own. Each call brings the count
 * of requests since the previous call and the time now; the rate over that stretch is compared with the average
 * rate over the trailing {@code baseline} before it. A spike is a rate of at least {@code minRate} and more than
 * {@code factor} times the baseline's. It is reported once ({@link Change#STARTED}); while it lasts the baseline
 * stays what it was before (a spike does not raise its own bar), and the detector re-arms ({@link Change#ENDED})
 * when the rate falls back to at most that, or, when the new rate has lasted a whole baseline, by taking it as the
 * new normal. Nothing is reported before a whole baseline has been seen.
 *
 * <p>Not thread-safe: one caller (the watch's tick) at a time.
 */
public final class SpikeDetector {

    /** What one observation changed. */
    public enum Change { NONE, STARTED, ENDED }

    /**
     * @param rateMilli     the rate of the stretch just observed, in thousandths of a request per second
     * @param baselineMilli the baseline's average rate, in thousandths of a request per second
     */
    public record Verdict(Change change, long rateMilli, long baselineMilli) {
    }

    private static final int MAX_SAMPLES = 100_000;

    private final long baselineMillis;
    private final long factorPermille;
    private final long minRateMilli;
    private final Samples normal = new Samples();
    private final Samples episode = new Samples();
    private long lastMillis = Long.MIN_VALUE;
    private boolean spiking;

    /**
     * @param baselineMillis how far back the average reaches
     * @param factorPermille how many times the average a spike is, in thousandths (5000: five times)
     * @param minRateMilli   the least rate that can be a spike, in thousandths of a request per second
     */
    public SpikeDetector(long baselineMillis, long factorPermille, long minRateMilli) {
        if (baselineMillis < 1 || factorPermille < 1000 || factorPermille > 1_000_000 || minRateMilli < 0) {
            throw new IllegalArgumentException("baseline must be positive, factor 1 to 1000, min-rate not negative");
        }
        this.baselineMillis = baselineMillis;
        this.factorPermille = factorPermille;
        this.minRateMilli = minRateMilli;
    }

    /** @param count requests since the previous call (the first call only starts the clock) */
    public Verdict observe(long count, long nowMillis) {
        if (lastMillis == Long.MIN_VALUE || nowMillis <= lastMillis) {
            lastMillis = lastMillis == Long.MIN_VALUE ? nowMillis : lastMillis;
            return new Verdict(Change.NONE, 0, normal.average());
        }
        long elapsed = nowMillis - lastMillis;
        lastMillis = nowMillis;
        long counted = Math.max(0, count);
        long rate = rate(counted, elapsed);
        long baseline = normal.average();
        boolean above = normal.elapsed >= baselineMillis && rate >= minRateMilli
                && rate * 1000 > factorPermille * baseline;
        Change change = Change.NONE;
        if (above && !spiking) {
            spiking = true;
            episode.clear();
            episode.add(counted, elapsed, baselineMillis);
            change = Change.STARTED;
        } else if (above) {
            episode.add(counted, elapsed, Long.MAX_VALUE);
            if (episode.elapsed >= baselineMillis) { // a whole baseline at the new rate: the new normal
                normal.replaceWith(episode);
                spiking = false;
                change = Change.ENDED;
            }
        } else {
            normal.add(counted, elapsed, baselineMillis);
            if (spiking) {
                spiking = false;
                change = Change.ENDED;
            }
        }
        return new Verdict(change, rate, baseline);
    }

    /** Stretches of (count, elapsed ms), the fewest that still cover {@code keep} ms. */
    private static final class Samples {
        private final ArrayDeque<long[]> stretches = new ArrayDeque<>();
        private long count;
        private long elapsed;

        void add(long n, long millis, long keep) {
            stretches.addLast(new long[] {n, millis});
            count += n;
            elapsed += millis;
            while (stretches.size() > MAX_SAMPLES
                    || (stretches.size() > 1 && elapsed - stretches.peekFirst()[1] >= keep)) {
                long[] oldest = stretches.removeFirst();
                count -= oldest[0];
                elapsed -= oldest[1];
            }
        }

        void clear() {
            stretches.clear();
            count = 0;
            elapsed = 0;
        }

        void replaceWith(Samples other) {
            clear();
            stretches.addAll(other.stretches);
            count = other.count;
            elapsed = other.elapsed;
            other.clear();
        }

        long average() {
            return elapsed == 0 ? 0 : rate(count, elapsed);
        }
    }

    public boolean spiking() {
        return spiking;
    }

    /** Whether a whole baseline has been seen, so that a spike can be told. */
    public boolean ready() {
        return normal.elapsed >= baselineMillis;
    }

    /** Thousandths of a request per second, at most 10^12 (a billion a second), so that products cannot overflow. */
    static long rate(long count, long elapsedMillis) {
        if (elapsedMillis <= 0) {
            return 0;
        }
        return Math.min(1_000_000_000_000L, Math.min(count, 1_000_000_000_000L) * 1_000_000 / elapsedMillis);
    }

    /** A rate in thousandths per second as people read it: 52400 -> "52.40/s". */
    public static String format(long rateMilli) {
        long centi = rateMilli / 10;
        long fraction = centi % 100;
        return (centi / 100) + (fraction < 10 ? ".0" : ".") + fraction + "/s";
    }
}
