package dev.abuseguard.strategy;

/**
 * The arithmetic the token bucket and the leaky bucket share (the generic cell rate algorithm).
 *
 * <p>A request weighs {@code window} units and the meter drains {@code limit} units per millisecond,
 * so everything stays in integers even when {@code window / limit} is not a whole number of ms.
 * {@code level / limit} is how many ms of admitted work are still ahead.
 */
final class DrainingMeter {

    private DrainingMeter() {
    }

    /** The meter's level at {@code now}; a fresh or long-idle meter is empty. */
    static long levelAt(MeterState state, long nowMillis, Quota quota) {
        if (state == null) {
            return 0;
        }
        long elapsed = Math.max(0, nowMillis - state.lastMillis());
        if (elapsed >= quota.windowMillis()) {
            return 0; // the level never exceeds limit * window, so a whole window drains it
        }
        return Math.max(0, state.levelUnits() - elapsed * quota.limit());
    }

    /**
     * Admits a request when the level stays within {@code allowedLevel} units.
     *
     * @param delays whether an admitted request waits for the work ahead of it (leaky bucket) or
     *               goes at once (token bucket)
     */
    static Verdict<MeterState> admit(MeterState state, long nowMillis, Quota quota, long allowedLevel,
                                     boolean delays) {
        long level = levelAt(state, nowMillis, quota);
        long weight = quota.windowMillis();
        if (level > allowedLevel) {
            long retry = ceilDiv(level - allowedLevel, quota.limit());
            long untilEmpty = ceilDiv(level, quota.limit());
            return Verdict.deny(untilEmpty, retry, state, untilEmpty);
        }
        long newLevel = level + weight;
        long untilEmpty = ceilDiv(newLevel, quota.limit());
        long remaining = (allowedLevel - level) / weight;
        long delay = delays ? ceilDiv(level, quota.limit()) : 0;
        return Verdict.allow(remaining, untilEmpty, delay, new MeterState(nowMillis, newLevel), untilEmpty);
    }

    /** Takes one request's weight off the meter. */
    static Verdict<MeterState> refund(MeterState state, long nowMillis, Quota quota, long allowedLevel) {
        long level = Math.max(0, levelAt(state, nowMillis, quota) - quota.windowMillis());
        long untilEmpty = ceilDiv(level, quota.limit());
        long admissibleNow = (allowedLevel - level) / quota.windowMillis() + 1;
        return Verdict.allow(admissibleNow, untilEmpty, 0, level == 0 ? null : new MeterState(nowMillis, level),
                untilEmpty);
    }

    static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
