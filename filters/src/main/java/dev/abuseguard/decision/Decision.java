package dev.abuseguard.decision;

/**
 * A store's answer for one request; the filter renders it as status, headers and body.
 *
 * @param retryAfterMillis rate limited: until a request would be admitted; blocked: until the block
 *                         ends, or -1 when it lasts until lifted; store unavailable: a hint
 * @param delayMillis      allowed: how long to hold the request before forwarding it (leaky bucket)
 * @param newlyBlocked     this very request's violation blocked the user
 * @param scope            whose limit decided: the user's own, or a limit shared by all users of the action
 */
public record Decision(Outcome outcome, long limit, long remaining, long resetAfterMillis, long retryAfterMillis,
                       long delayMillis, long abuseScore, boolean newlyBlocked, Scope scope) {

    /** A decision on the user's own limit. */
    public Decision(Outcome outcome, long limit, long remaining, long resetAfterMillis, long retryAfterMillis,
                    long delayMillis, long abuseScore, boolean newlyBlocked) {
        this(outcome, limit, remaining, resetAfterMillis, retryAfterMillis, delayMillis, abuseScore, newlyBlocked,
                Scope.USER);
    }

    public static Decision unmetered(long limit) {
        return new Decision(Outcome.ALLOWED, limit, limit, 0, 0, 0, 0, false);
    }

    /** The answer for an exempt user: nothing spent, nothing scored. */
    public static Decision exempt(long limit) {
        return new Decision(Outcome.EXEMPT, limit, limit, 0, 0, 0, 0, false);
    }

    public static Decision storeUnavailable(long limit, long retryAfterMillis) {
        return new Decision(Outcome.STORE_UNAVAILABLE, limit, 0, 0, retryAfterMillis, 0, 0, false);
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }
}
