package dev.abuseguard.strategy;

/**
 * A queue of {@code limit} places draining one request every {@code window / limit}. An admitted
 * request is held until its turn ({@link Verdict#delayMillis()}); a full queue, or a turn further away
 * than {@code maxDelay}, is denied. Lua twin: {@code LeakyBucket.lua}.
 */
public final class LeakyBucket implements RateLimitStrategy<MeterState> {

    @Override
    public Verdict<MeterState> decide(MeterState state, long nowMillis, Quota quota) {
        long queueFull = (quota.limit() - 1) * quota.windowMillis();
        long waitTooLong = quota.maxDelayMillis() * quota.limit();
        return DrainingMeter.admit(state, nowMillis, quota, Math.min(queueFull, waitTooLong), true);
    }
}
