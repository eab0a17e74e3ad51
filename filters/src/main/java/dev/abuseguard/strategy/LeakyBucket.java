package dev.abuseguard.strategy;

/**
 * A queue of {@code limit} places draining one request every {@code window / limit}. An admitted
 * request is held until its turn ({@link Verdict#delayMillis()}); a full queue, or a turn further away
 * than {@code maxDelay}, is denied. Lua twin: {@code LeakyBucket.lua}.
 */
public final class LeakyBucket implements RateLimitStrategy<MeterState> {

    @Override
    public Verdict<MeterState> decide(MeterState state, long nowMillis, Quota quota) {
        return DrainingMeter.admit(state, nowMillis, quota, allowedLevel(quota), true);
    }

    @Override
    public Verdict<MeterState> refund(MeterState state, long nowMillis, Quota quota) {
        return DrainingMeter.refund(state, nowMillis, quota, allowedLevel(quota));
    }

    /** The queue is full at {@code limit} places, or when the last place would wait longer than {@code maxDelay}. */
    private static long allowedLevel(Quota quota) {
        long queueFull = (quota.limit() - 1) * quota.windowMillis();
        long waitTooLong = quota.maxDelayMillis() * quota.limit();
        return Math.min(queueFull, waitTooLong);
    }
}
