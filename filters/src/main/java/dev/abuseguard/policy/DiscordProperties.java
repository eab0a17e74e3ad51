package dev.abuseguard.policy;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code abuse-guard.discord}: the interactions endpoint behind the {@code DiscordInteractions} route filter.
 * Which of these a route needs (a key, a default action) is checked with the routes, so that a gateway
 * without such a route needs none of them.
 *
 * @param publicKey          the application's Ed25519 public key as Discord shows it (64 hex digits); when
 *                           blank, the environment variable DISCORD_PUBLIC_KEY
 * @param defaultAction      the action of every interaction that commands does not name
 * @param autocompleteAction the action of autocomplete interactions (default: default-action); not the
 *                           command's own, since Discord sends one per keystroke while the user types
 * @param commands           a command name, or a component's custom_id prefix, to its action
 * @param maxBody            the largest interaction the gateway buffers to verify; larger ones get 413
 * @param messages           what a user reads in Discord instead of a 429 or 403
 * @param answerWithin       how soon after an interaction arrives Discord gets an answer at the latest: a bot
 *                           that has not answered by then is cut off, the user reads the unavailable message and
 *                           the quota it spent is given back (Discord itself gives up after 3 s)
 * @param moderators         the gateway's own slash command for a community's moderators (default /abuse)
 */
public record DiscordProperties(
        @DefaultValue("") @NotNull @Pattern(regexp = "|[0-9a-fA-F]{64}",
                message = "must be the application's public key: 64 hexadecimal digits") String publicKey,
        @Pattern(regexp = AbuseGuardProperties.ACTION_NAME, message = ACTION_MESSAGE) String defaultAction,
        @Pattern(regexp = AbuseGuardProperties.ACTION_NAME, message = ACTION_MESSAGE) String autocompleteAction,
        @DefaultValue @NotNull Map<@Size(min = 1, max = 100, message = "names are 1 to 100 characters") String,
                @NotNull @Pattern(regexp = AbuseGuardProperties.ACTION_NAME, message = ACTION_MESSAGE) String> commands,
        @DefaultValue("64KB") @NotNull DataSize maxBody,
        @DefaultValue @Valid @NotNull Messages messages,
        @DefaultValue("2500ms") @NotNull Duration answerWithin,
        @DefaultValue @Valid @NotNull Moderators moderators) {

    private static final String ACTION_MESSAGE = "action names use lower-case letters, digits, '_' and '-'";
    private static final long SMALLEST_BODY = DataSize.ofKilobytes(1).toBytes();
    private static final long LARGEST_BODY = DataSize.ofMegabytes(16).toBytes();

    private static final Duration SHORTEST_ANSWER = Duration.ofSeconds(1);
    private static final Duration LONGEST_ANSWER = Duration.ofMillis(2900);

    public DiscordProperties {
        commands = commands == null ? Map.of() : Map.copyOf(commands);
    }

    @AssertTrue(message = "max-body must be between 1KB and 16MB")
    public boolean isMaxBodyUsable() {
        return maxBody == null || (maxBody.toBytes() >= SMALLEST_BODY && maxBody.toBytes() <= LARGEST_BODY);
    }

    @AssertTrue(message = "answer-within must be between 1s and 2900ms: Discord gives up after 3 s")
    public boolean isAnswerWithinUsable() {
        return answerWithin == null
                || (answerWithin.compareTo(SHORTEST_ANSWER) >= 0 && answerWithin.compareTo(LONGEST_ANSWER) <= 0);
    }

    /** The autocomplete action in force: its own when set, else the default action. */
    public String autocompleteActionOrDefault() {
        return autocompleteAction == null || autocompleteAction.isBlank() ? defaultAction : autocompleteAction;
    }

    /**
     * The ephemeral messages, per outcome; {@code {retry}} becomes a Discord timestamp
     * ({@code <t:1767225600:R>}, shown as "in 5 minutes" in the reader's own time zone). Discord allows
     * 2000 characters, so a message is at most 1900 before that.
     *
     * @param rateLimited        the user hit the action's limit
     * @param blocked            the user is blocked for abuse until a known time
     * @param blockedUntilLifted the user is blocked until an admin lifts the block (no time to give)
     * @param unavailable        the gateway could not reach the bot's backend
     */
    public record Messages(
            @DefaultValue("You're doing that too often. You can try again {retry}.")
            @NotBlank @Size(max = 1900) String rateLimited,
            @DefaultValue("You can't use this bot right now. You can try again {retry}.")
            @NotBlank @Size(max = 1900) String blocked,
            @DefaultValue("You can't use this bot until a moderator lifts your block.")
            @NotBlank @Size(max = 1900) String blockedUntilLifted,
            @DefaultValue("The bot can't answer right now. Please try again in a moment.")
            @NotBlank @Size(max = 1900) String unavailable) {
    }

    /**
     * The moderators' command, answered by the gateway on every interactions route and never forwarded to the
     * bot. Who may use it is read from the signed interaction alone: the member's permissions in the channel
     * ({@code member.permissions}) or roles ({@code member.roles}); in a DM nobody may.
     *
     * @param enabled     whether the gateway answers the command (off: it reaches the bot like any other)
     * @param command     the command's name as registered with Discord (1 to 32 lower-case letters, digits, '_', '-')
     * @param permissions the permission bits, as Discord writes them (a decimal string), any one of which lets a
     *                    member use the command: default Moderate Members (1 << 40) or Administrator (1 << 3)
     * @param roles       role ids whose members may use the command whatever their permissions
     * @param action      the action every use of the command and of its buttons counts against; when it names no
     *                    action under abuse-guard.actions and is left at discord_moderator, 20 per minute
     *                    (token bucket)
     */
    public record Moderators(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("abuse") @NotNull @Pattern(regexp = "[a-z0-9_-]{1,32}",
                    message = "must be 1 to 32 lower-case letters, digits, '_' or '-', as Discord names commands")
            String command,
            @DefaultValue("1099511627784") @NotNull @Pattern(regexp = "[0-9]{1,30}",
                    message = "must be permission bits as Discord writes them: a decimal number") String permissions,
            @DefaultValue @NotNull List<@NotNull @Pattern(regexp = "[0-9]{1,20}",
                    message = "role ids are Discord ids (digits)") String> roles,
            @DefaultValue(BUILT_IN_ACTION) @NotNull @Pattern(regexp = AbuseGuardProperties.ACTION_NAME,
                    message = ACTION_MESSAGE) String action) {

        /** The moderators' action when abuse-guard.actions does not define it. */
        public static final String BUILT_IN_ACTION = "discord_moderator";

        public Moderators {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }

        @AssertTrue(message = "permissions must name at least one permission bit when roles names no role, or no "
                + "member could use the command")
        public boolean isAnyoneAllowed() {
            return permissions == null || !permissions.matches("0+") || (roles != null && !roles.isEmpty());
        }
    }
}
