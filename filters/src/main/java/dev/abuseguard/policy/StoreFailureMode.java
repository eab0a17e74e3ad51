package dev.abuseguard.policy;

/** What an action does while the shared store cannot be reached ({@code on-store-failure}). */
public enum StoreFailureMode {
    /** Decide from this instance's in-memory state (the default). */
    LOCAL,
    /** Fail open: let the request through unmetered. */
    ALLOW,
    /** Fail closed: answer 503 with Retry-After. */
    DENY
}
