package dev.abuseguard.decision;

/**
 * Whose limit a decision applied: this user's own ({@code user}), or one shared by every user of the action
 * ({@code global}). Rendered as Discord's {@code X-RateLimit-Scope} and the problem body's {@code global}.
 */
public enum Scope {
    USER,
    GLOBAL;

    public String wireName() {
        return this == USER ? "user" : "global";
    }
}
