package dev.abuseguard.filter;

/** What a route does when a request carries no user id ({@code identity-fallback}). */
public enum IdentityFallback {
    /** Refuse the request with 400 (the default). */
    NONE,
    /** Limit the request by its client address instead. */
    CLIENT_IP
}
