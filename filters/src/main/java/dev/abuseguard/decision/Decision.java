package dev.abuseguard.decision;

/**
 * A store's answer for one request; the filter renders it as status, headers and body.
 *
 * @param retryAfterMillis rate limited: until a request would be admitted; blocked: until the block
 *                         ends, or -1 when it lasts until lifted; store unavailable: a hint
 * @param delayMillis      allowed: how long to hold the request before forwarding it (leaky bucket)
 * @param newlyBlocked     this very request's violation blocked the user
 * @param scope            whose limit decided: the user's own, or a limit shared by all users of the action
 * @param blockMillis      newly blocked: how long the new block lasts (growing bans make each one longer);
 *                         0 when it lasts until lifted, or until decay lifts it
 * @param shadowOf         in shadow mode, what enforcing would have answered (rate limited, blocked, store
 *                         unavailable) for this request that is forwarded as allowed; {@code null} otherwise
 */
public record Decision(Outcome outcome, long limit, long remaining, long resetAfterMillis, long retryAfterMillis,
                       long delayMillis, long abuseScore, boolean newlyBlocked, Scope scope, long blockMillis,
                       Outcome shadowOf) {

    /** Admitted under the user's own limit; {@code delayMillis}: how long to hold it first (leaky bucket). */
    public static Decision admitted(long limit, long remaining, long resetAfterMillis, long delayMillis,
                                   long abuseScore) {
        return new Decision(Outcome.ALLOWED, limit, remaining, resetAfterMillis, 0, delayMillis, abuseScore, false,
                Scope.USER, 0, null);
    }

    /** Refused for the user's own limit: a violation (in shadow mode only reported, never scored). */
    public static Decision rateLimited(long limit, long resetAfterMillis, long retryAfterMillis, long abuseScore) {
        return new Decision(Outcome.RATE_LIMITED, limit, 0, resetAfterMillis, retryAfterMillis, 0, abuseScore, false,
                Scope.USER, 0, null);
    }

    /**
     * Refused for the user's own limit, and this very violation blocked the user.
     *
     * @param blockMillis how long the new block lasts; 0 when it lasts until lifted, or until decay lifts it
     */
    public static Decision rateLimitedAndBlocked(long limit, long resetAfterMillis, long retryAfterMillis,
                                                 long abuseScore, long blockMillis) {
        return new Decision(Outcome.RATE_LIMITED, limit, 0, resetAfterMillis, retryAfterMillis, 0, abuseScore, true,
                Scope.USER, blockMillis, null);
    }

    /** Refused for an action's limit shared by every user: no violation, the user's score not read. */
    public static Decision globallyLimited(long limit, long retryAfterMillis, long abuseScore) {
        return new Decision(Outcome.RATE_LIMITED, limit, 0, retryAfterMillis, retryAfterMillis, 0, abuseScore, false,
                Scope.GLOBAL, 0, null);
    }

    /** The user is blocked for abuse: {@code retryAfterMillis} until the block ends, -1 when it lasts until lifted. */
    public static Decision blocked(long limit, long retryAfterMillis, long abuseScore) {
        return new Decision(Outcome.BLOCKED, limit, 0, 0, retryAfterMillis, 0, abuseScore, false, Scope.USER, 0,
                null);
    }

    /** Admitted without a limit being counted. */
    public static Decision unmetered(long limit) {
        return admitted(limit, limit, 0, 0, 0);
    }

    /** The answer for an exempt user: nothing spent, nothing scored. */
    public static Decision exempt(long limit) {
        return new Decision(Outcome.EXEMPT, limit, limit, 0, 0, 0, 0, false, Scope.USER, 0, null);
    }

    /** No store could decide and the action fails closed; {@code retryAfterMillis} a hint. */
    public static Decision storeUnavailable(long limit, long retryAfterMillis) {
        return new Decision(Outcome.STORE_UNAVAILABLE, limit, 0, 0, retryAfterMillis, 0, 0, false, Scope.USER, 0,
                null);
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }

    /**
     * This decision as shadow mode forwards it: a refusal becomes an allowed answer with nothing remaining
     * (what enforcing would have said kept in {@link #shadowOf}), and nothing is held, so the action's traffic
     * is what it would be without a limit.
     */
    public Decision inShadow() {
        return switch (outcome) {
            case EXEMPT -> this;
            case ALLOWED -> delayMillis == 0 ? this : new Decision(outcome, limit, remaining, resetAfterMillis, 0, 0,
                    abuseScore, false, scope, 0, null);
            case RATE_LIMITED, BLOCKED, STORE_UNAVAILABLE -> new Decision(Outcome.ALLOWED, limit, 0,
                    resetAfterMillis, 0, 0, abuseScore, false, scope, 0, outcome);
        };
    }
}
