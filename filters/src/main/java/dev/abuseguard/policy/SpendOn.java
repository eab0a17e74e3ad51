package dev.abuseguard.policy;

/** When an admitted request spends quota ({@code spend-on}). */
public enum SpendOn {
    /** Every admitted request spends quota. */
    REQUEST,
    /** Only requests the backend answers with one of the action's failure statuses spend quota. */
    FAILURE
}
