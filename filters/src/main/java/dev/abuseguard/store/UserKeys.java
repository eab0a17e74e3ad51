package dev.abuseguard.store;

/**
 * Redis key names of one user. Every key carries the hash tag {@code {u:<id>}} so that one user's
 * decision is one script on one cluster slot. Ids reach here validated ({@code IdentityResolver}
 * never lets braces, spaces or control characters through), so an id cannot end the tag early.
 */
final class UserKeys {

    static final String PREFIX = "ag:{u:";

    private UserKeys() {
    }

    /** KEYS of the decision script: abuse record, strategy state of the action, violation history. */
    static String[] forDecision(String userId, String action) {
        String base = PREFIX + userId + "}:";
        return new String[] {base + "abuse", base + "s:" + action, base + "violations"};
    }
}
