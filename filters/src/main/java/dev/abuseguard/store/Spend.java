package dev.abuseguard.store;

/** What a decision does with the quota. */
public enum Spend {
    /** Check and spend: an admitted request uses quota, a denied one is a violation. */
    CONSUME("consume"),
    /** Check only (spend-on failure, before the backend answered); a denied request is a violation. */
    PEEK("peek"),
    /** Spend only (the backend answered with a failure status); a full quota is no new violation. */
    SPEND("spend");

    private final String scriptArg;

    Spend(String scriptArg) {
        this.scriptArg = scriptArg;
    }

    String scriptArg() {
        return scriptArg;
    }
}
