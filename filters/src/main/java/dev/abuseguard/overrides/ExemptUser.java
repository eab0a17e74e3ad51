package dev.abuseguard.overrides;

/** An exempt user as the admin views show it; {@code until} -1 while it lasts until lifted. */
public record ExemptUser(String userId, String reason, long until) {
}
