package dev.abuseguard.strategy;

/**
 * One rate-limiting algorithm as a pure function: (state, now) in, (verdict, new state) out.
 * No I/O, no clock, no framework; the same algorithm exists once more as the Lua script of the same
 * name, and a conformance suite keeps the two in step.
 *
 * @param <S> the algorithm's state; {@code null} means a user that has no state yet
 */
public interface RateLimitStrategy<S> {

    Verdict<S> decide(S state, long nowMillis, Quota quota);

    /**
     * Gives back one admitted request (one spent before the backend answered, whose answer turned out not to
     * count). Nothing to give back (a fresh state, or one from a window that has passed) leaves the state as it
     * is. The verdict is always allowed; {@code remaining} is what may be admitted right now.
     */
    Verdict<S> refund(S state, long nowMillis, Quota quota);
}
