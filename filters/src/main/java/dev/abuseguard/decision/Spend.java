package dev.abuseguard.decision;

/** What a decision does with the quota. */
public enum Spend {
    /** Check and spend: an admitted request uses quota, a denied one is a violation. */
    CONSUME,
    /**
     * Give back one admitted request: with {@code spend-on: failure} every attempt spends on the way in, so
     * attempts in flight count, and those the backend did not answer with a failure status are given back.
     * Never a violation, never refused.
     */
    REFUND
}
