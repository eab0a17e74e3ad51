package dev.abuseguard.audit;

import java.util.Locale;
/** What happened, in the audit trail. */
public enum EventType {
    /** A request was denied by a rate limit (a 429). */
    VIOLATION,
    /** A user's score reached the block threshold. */
    BLOCK,
    /** An admin banned a user. */
    BAN,
    /** An admin lifted a block or ban. */
    UNBLOCK,
    /** An admin cleared a user's score, violations, block and rate-limit state. */
    RESET,
    /** An admin changed a user's overrides: exempt, own limit or tier (the detail says which). */
    OVERRIDE,
    /** The shared store stopped answering; actions follow their on-store-failure. */
    FAILOVER,
    /** The shared store answers again and decides. */
    RECOVERY,
    /** An action's rate across all users jumped far above its trailing average (the detail gives the rates). */
    SPIKE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
