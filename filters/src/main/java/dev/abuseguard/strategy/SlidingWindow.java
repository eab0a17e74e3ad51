package dev.abuseguard.strategy;

/**
 * At most {@code limit} admitted requests in any trailing window, from an exact log of admissions.
 * A request admitted at {@code t} counts while {@code now - t < window}. Lua twin: {@code SlidingWindow.lua}.
 */
public final class SlidingWindow implements RateLimitStrategy<SlidingLog> {

    @Override
    public Verdict<SlidingLog> decide(SlidingLog state, long nowMillis, Quota quota) {
        long window = quota.windowMillis();
        SlidingLog log = state == null ? new SlidingLog() : state.within(nowMillis, window);
        if (log.size() >= quota.limit()) {
            long untilWhole = log.newest() + window - nowMillis;
            return Verdict.deny(untilWhole, log.oldest() + window - nowMillis, log, untilWhole);
        }
        return Verdict.allow(quota.limit() - log.size() - 1, window, 0, log.plus(nowMillis), window);
    }

    /** Gives back the newest admission: the refunded request is at most that recent. */
    @Override
    public Verdict<SlidingLog> refund(SlidingLog state, long nowMillis, Quota quota) {
        long window = quota.windowMillis();
        SlidingLog log = state == null ? new SlidingLog() : state.within(nowMillis, window).withoutNewest();
        return Verdict.allow(quota.limit() - log.size(), window, 0, log.size() == 0 ? null : log,
                log.size() == 0 ? 0 : window);
    }
}
