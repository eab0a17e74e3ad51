/**
 * The Discord interactions endpoint: the {@code DiscordInteractions} route filter verifies Discord's Ed25519
 * signature before anything else, answers {@code PING}, finds the user, guild and action in the verified
 * interaction, decides through the same decision chain as the {@code AbuseGuard} filter, and answers a
 * limited or blocked user in Discord's own words (an ephemeral message, HTTP 200) instead of 429 or 403.
 *
 * The gateway's own moderators' command ({@code /abuse}) is answered here too, never forwarded:
 * {@code ModeratorCommand}.
 *
 * <p>May import: {@code abuse}, {@code admin} (the moderators' command acts through {@code UserActions}),
 * {@code decision}, {@code filter} (its problem bodies), {@code policy}, {@code strategy}, {@code logging},
 * {@code lettuce} (the replays shared through Redis).
 */
package dev.abuseguard.discord;
