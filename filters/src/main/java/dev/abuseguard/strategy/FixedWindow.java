package dev.abuseguard.strategy;

/** At most {@code limit} requests per window aligned to the epoch. Lua twin: {@code FixedWindow.lua}. */
public final class FixedWindow implements RateLimitStrategy<WindowCount> {

    @Override
    public Verdict<WindowCount> decide(WindowCount state, long nowMillis, Quota quota) {
        long start = nowMillis - Math.floorMod(nowMillis, quota.windowMillis());
        long untilNextWindow = start + quota.windowMillis() - nowMillis;
        long count = state != null && state.windowStart() == start ? state.count() : 0;
        if (count >= quota.limit()) {
            return Verdict.deny(untilNextWindow, untilNextWindow, state, untilNextWindow);
        }
        return Verdict.allow(quota.limit() - count - 1, untilNextWindow, 0,
                new WindowCount(start, count + 1), untilNextWindow);
    }

    @Override
    public Verdict<WindowCount> refund(WindowCount state, long nowMillis, Quota quota) {
        long start = nowMillis - Math.floorMod(nowMillis, quota.windowMillis());
        long untilNextWindow = start + quota.windowMillis() - nowMillis;
        long count = state != null && state.windowStart() == start ? Math.max(0, state.count() - 1) : 0;
        return Verdict.allow(quota.limit() - count, untilNextWindow, 0,
                count == 0 ? null : new WindowCount(start, count), count == 0 ? 0 : untilNextWindow);
    }
}
