package dev.abuseguard.redis;

import dev.abuseguard.policy.Action;

/**
 * Redis key names of one user. Every key carries the hash tag {@code {u:<id>}} so that one user's
 * decision is one script on one cluster slot. Ids reach here validated ({@code IdentityResolver}
 * never lets braces, spaces or control characters through), so an id cannot end the tag early.
 */
public final class UserKeys {

    public static final String PREFIX = "ag:{u:";

    private UserKeys() {
    }

    /**
     * KEYS of the decision script: abuse record, strategy state of the action, violation history, the
     * operator's overrides as decisions read them (exempt, own limits, tier; see {@code UserOverrides}), which
     * the script reads with the record and the state in one {@code MGET}. The
     * state key names the strategy and the window, so a refresh that changes either starts afresh
     * while unchanged actions keep their state.
     */
    public static String[] forDecision(String userId, Action action) {
        return new String[] {abuse(userId), state(userId, action), violations(userId), decisionOverrides(userId)};
    }

    public static String abuse(String userId) {
        return PREFIX + userId + "}:abuse";
    }

    /**
     * The operator's overrides of one user, every field: a hash, read by the admin views, by write-backs and by
     * every instance's copy (and by the decisions of instances of the version before).
     */
    public static String overrides(String userId) {
        return PREFIX + userId + "}:o";
    }

    /**
     * The same overrides as every decision reads them: a string {@code overrides-write.lua} rebuilds from the hash
     * after each change, absent for a user without any, so that a decision reads it in the {@code MGET} it sends
     * anyway.
     */
    public static String decisionOverrides(String userId) {
        return PREFIX + userId + "}:ov";
    }

    public static String violations(String userId) {
        return PREFIX + userId + "}:violations";
    }

    public static String state(String userId, Action action) {
        return PREFIX + userId + "}:s:" + action.name() + ":" + action.policy().strategy().code()
                + action.quota().windowMillis();
    }
}
