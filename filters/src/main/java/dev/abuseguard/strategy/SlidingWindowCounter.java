package dev.abuseguard.strategy;

/**
 * The sliding window approximated in O(1) state (as Cloudflare and Kong Rate Limiting Advanced count): two
 * windows aligned to the epoch, the previous one's count weighted by the share of it still inside the trailing
 * window. At {@code elapsed} ms into the current window a request is admitted while
 * {@code current + ceil(previous * (window - elapsed) / window) < limit}. Lua twin: {@code SlidingWindowCounter.lua}.
 *
 * <p>The share is rounded up: evenly spread requests of the previous window leave at most that many inside the
 * trailing window, so when they were evenly spread the counter never admits a request the exact rule of
 * {@link SlidingWindow} would refuse. (Comparing the unrounded weight with the limit amounts to rounding down, and
 * admits one more than that rule across a boundary.) The price is up to one request per window under steady
 * overload: {@code limit - 1} a window, and for a limit of 1 one every other window, which is why small limits
 * are better served by the exact log. When the previous window's requests bunched at its end the counter admits
 * more than the log: at most {@code 2 * limit - ceil(2 * limit / window)} in a window-long span across the
 * boundary, never more than {@code limit} within one aligned window. {@code SlidingWindowCounterTest} shows these
 * bounds, {@code SlidingWindowCounterPrecisionTest} how far the counter strays from the log on seeded traffic.
 */
public final class SlidingWindowCounter implements RateLimitStrategy<WindowPair> {

    @Override
    public Verdict<WindowPair> decide(WindowPair state, long nowMillis, Quota quota) {
        long window = quota.windowMillis();
        long start = nowMillis - Math.floorMod(nowMillis, window);
        WindowPair pair = seenFrom(start, state, quota);
        long elapsed = nowMillis - start;
        long counted = counted(pair, elapsed, window);
        if (counted >= quota.limit()) {
            long untilForgotten = untilForgotten(pair, nowMillis, window);
            return Verdict.deny(untilForgotten, retryAfter(pair, elapsed, quota), state, untilForgotten);
        }
        long untilForgotten = start + 2 * window - nowMillis;
        return Verdict.allow(quota.limit() - counted - 1, untilForgotten, 0,
                new WindowPair(start, pair.previousCount(), pair.currentCount() + 1), untilForgotten);
    }

    /**
     * Gives back the newest admission: from the current window when it has one, else from the previous window
     * (a request admitted just before the boundary and given back after it).
     */
    @Override
    public Verdict<WindowPair> refund(WindowPair state, long nowMillis, Quota quota) {
        long window = quota.windowMillis();
        long start = nowMillis - Math.floorMod(nowMillis, window);
        WindowPair pair = seenFrom(start, state, quota);
        WindowPair left = pair.currentCount() > 0
                ? new WindowPair(start, pair.previousCount(), pair.currentCount() - 1)
                : new WindowPair(start, Math.max(0, pair.previousCount() - 1), 0);
        long untilForgotten = untilForgotten(left, nowMillis, window);
        long admissibleNow = Math.max(0, quota.limit() - counted(left, nowMillis - start, window));
        return Verdict.allow(admissibleNow, untilForgotten, 0, untilForgotten == 0 ? null : left, untilForgotten);
    }

    /**
     * The state as seen from the window starting at {@code start}. A state from any other window than that one
     * or the one before (older, or later after the clock stepped back) counts nothing, as in {@link FixedWindow}.
     * Counts written under a larger limit (an override since lowered) read as a full window: every product below
     * then stays under {@code limit * window}, which Lua computes exactly.
     */
    private static WindowPair seenFrom(long start, WindowPair state, Quota quota) {
        if (state == null) {
            return new WindowPair(start, 0, 0);
        }
        long previous = Math.min(state.previousCount(), quota.limit());
        long current = Math.min(state.currentCount(), quota.limit());
        if (state.windowStart() == start) {
            return new WindowPair(start, previous, current);
        }
        if (state.windowStart() == start - quota.windowMillis()) {
            return new WindowPair(start, current, 0);
        }
        return new WindowPair(start, 0, 0);
    }

    /** The requests taken to be inside the trailing window, the previous window's share rounded up. */
    private static long counted(WindowPair pair, long elapsed, long window) {
        return pair.currentCount() + ceilDiv(pair.previousCount() * (window - elapsed), window);
    }

    /**
     * The earliest moment, from now, at which a request is admitted if none is admitted before: the current
     * window's count stays, the previous window's share shrinks ms by ms.
     */
    private static long retryAfter(WindowPair pair, long elapsed, Quota quota) {
        long window = quota.windowMillis();
        long roomForPrevious = quota.limit() - 1 - pair.currentCount();
        if (roomForPrevious >= 0) {
            return firstOffsetWhereShareIsAtMost(pair.previousCount(), roomForPrevious, window) - elapsed;
        }
        // the current window alone is full: it has to become the previous one and shrink
        return window - elapsed + firstOffsetWhereShareIsAtMost(pair.currentCount(), quota.limit() - 1, window);
    }

    /**
     * The first ms into a window at which {@code ceil(count * (window - offset) / window) <= allowed}, that is
     * {@code count * offset >= (count - allowed) * window}; at most {@code window}.
     */
    private static long firstOffsetWhereShareIsAtMost(long count, long allowed, long window) {
        return count <= allowed ? 0 : ceilDiv((count - allowed) * window, count);
    }

    /** Until the quota is whole again: the current window's requests count until the end of the next one. */
    private static long untilForgotten(WindowPair pair, long nowMillis, long window) {
        if (pair.currentCount() > 0) {
            return pair.windowStart() + 2 * window - nowMillis;
        }
        return pair.previousCount() > 0 ? pair.windowStart() + window - nowMillis : 0;
    }

    /** For the non-negative operands below 2^50 this class divides. */
    private static long ceilDiv(long dividend, long divisor) {
        return (dividend + divisor - 1) / divisor;
    }
}
