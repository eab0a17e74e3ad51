package dev.abuseguard.strategy;

/**
 * Capacity {@code limit}, refilled continuously at {@code limit / window}: bursts up to {@code limit},
 * then one request every {@code window / limit}. Lua twin: {@code TokenBucket.lua}.
 */
public final class TokenBucket implements RateLimitStrategy<MeterState> {

    @Override
    public Verdict<MeterState> decide(MeterState state, long nowMillis, Quota quota) {
        long fullBucket = (quota.limit() - 1) * quota.windowMillis();
        return DrainingMeter.admit(state, nowMillis, quota, fullBucket, false);
    }

    @Override
    public Verdict<MeterState> refund(MeterState state, long nowMillis, Quota quota) {
        return DrainingMeter.refund(state, nowMillis, quota, (quota.limit() - 1) * quota.windowMillis());
    }
}
