package dev.abuseguard.decision;

/** What a decision does with the quota. */
public enum Spend {
    /** Check and spend: an admitted request uses quota, a denied one is a violation. */
    CONSUME,
    /** Check only (spend-on failure, before the backend answered); a denied request is a violation. */
    PEEK,
    /** Spend only (the backend answered with a failure status); a full quota is no new violation. */
    SPEND
}
