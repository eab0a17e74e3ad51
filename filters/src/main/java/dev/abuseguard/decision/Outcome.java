package dev.abuseguard.decision;

/** What a decision means for the request. */
public enum Outcome {
    ALLOWED,
    RATE_LIMITED,
    BLOCKED,
    /** The shared store is down and the action fails closed. */
    STORE_UNAVAILABLE,
    /** An operator exempted the user: forwarded without spending, never scored or blocked. */
    EXEMPT
}
