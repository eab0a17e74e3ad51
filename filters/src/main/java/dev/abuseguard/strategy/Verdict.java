package dev.abuseguard.strategy;

/**
 * What a strategy decided for one request, and the state to keep afterwards.
 *
 * @param allowed          whether the request may go on
 * @param remaining        requests still admissible right now after this one
 * @param resetAfterMillis time until the quota is whole again
 * @param retryAfterMillis when denied: time until a request would be admitted; 0 when allowed
 * @param delayMillis      when allowed: how long to hold the request before forwarding it (leaky bucket)
 * @param state            the state after this request (unchanged when denied: denials never spend quota)
 * @param stateTtlMillis   after this long without requests the state equals a fresh one and may be dropped
 */
public record Verdict<S>(boolean allowed, long remaining, long resetAfterMillis, long retryAfterMillis,
                         long delayMillis, S state, long stateTtlMillis) {

    static <S> Verdict<S> allow(long remaining, long resetAfterMillis, long delayMillis, S state, long ttl) {
        return new Verdict<>(true, remaining, resetAfterMillis, 0, delayMillis, state, ttl);
    }

    static <S> Verdict<S> deny(long resetAfterMillis, long retryAfterMillis, S state, long ttl) {
        return new Verdict<>(false, 0, resetAfterMillis, retryAfterMillis, 0, state, ttl);
    }
}
