package dev.abuseguard.discord;

import dev.abuseguard.admin.InvalidAdminInput;
import dev.abuseguard.admin.UserActions;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicies;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.policy.DiscordProperties;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.policy.StoreFailureMode;
import dev.abuseguard.strategy.StrategyType;
import java.time.Duration;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's own slash command on an interactions route (default {@code /abuse}) and the buttons of its
 * answers: recognised by name or {@code custom_id} prefix in the signed body, counted against an action of its
 * own, answered by the gateway and never forwarded to the bot. Who may use it is checked on every command and
 * every click, from the signed payload alone, before any option is read.
 */
final class ModeratorCommand {

    /** The moderators' action when the configuration does not define {@code discord_moderator}. */
    static final ActionPolicy BUILT_IN_POLICY = ActionPolicy.of(20, Duration.ofMinutes(1), StrategyType.TOKEN_BUCKET);

    static final String REFUSED = "Only this server's moderators can use this command.";
    static final String NOT_IN_A_SERVER = "This command works in a server only.";
    static final String NOT_OURS = "This is not one of the gateway's buttons.";

    private final String name;
    private final Action action;
    private final ModeratorPermission permission;
    private final ModeratorDesk desk;
    private final JsonMapper json;

    private ModeratorCommand(String name, Action action, ModeratorPermission permission, ModeratorDesk desk,
                             JsonMapper json) {
        this.name = name;
        this.action = action;
        this.permission = permission;
        this.desk = desk;
        this.json = json;
    }

    /**
     * @return null when the command is off (it then reaches the bot as any command does)
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    static ModeratorCommand of(DiscordProperties discord, ActionPolicies policies, UserActions actions,
                               LivePolicies live, JsonMapper json) {
        DiscordProperties.Moderators moderators = discord.moderators();
        if (!moderators.enabled() || actions == null) {
            return null;
        }
        if (discord.commands().containsKey(moderators.command())) {
            throw new IllegalArgumentException("abuse-guard.discord.commands." + moderators.command()
                    + " would never reach the bot: the gateway answers /" + moderators.command() + " itself "
                    + "(abuse-guard.discord.moderators.command); rename one of them");
        }
        String setting = "abuse-guard.discord.moderators.action";
        Action action = policies.find(moderators.action()).isEmpty()
                && moderators.action().equals(DiscordProperties.Moderators.BUILT_IN_ACTION)
                ? new Action(moderators.action(), BUILT_IN_POLICY.withOnStoreFailure(StoreFailureMode.LOCAL))
                : InteractionActions.action(policies, setting, moderators.action());
        return new ModeratorCommand(moderators.command(), action, ModeratorPermission.of(moderators),
                new ModeratorDesk(actions, live), json);
    }

    /** The command itself (and its autocomplete, which it never asks for), or a click on one of its buttons. */
    boolean handles(Interaction interaction) {
        String named = interaction.name();
        if (named == null) {
            return false;
        }
        return interaction.isNamedByCustomId() ? named.startsWith(ModeratorRequests.BUTTON_PREFIX)
                : (interaction.type() == Interaction.APPLICATION_COMMAND || interaction.isAutocomplete())
                        && named.equals(name);
    }

    Action action() {
        return action;
    }

    /** The interaction response's JSON, once the decision let the moderator through. */
    Mono<byte[]> answer(byte[] body, Interaction interaction) {
        JsonNode root = json.readTree(body); // read before by the parser: JSON, an object
        ModeratorRequests.Caller caller = ModeratorRequests.caller(root, interaction);
        if (!permission.allows(caller.guildId(), caller.permissions(), caller.roles())) {
            return bytes(ModeratorMessages.text(caller.guildId() == null ? NOT_IN_A_SERVER : REFUSED));
        }
        if (interaction.type() == Interaction.MODAL_SUBMIT) {
            return bytes(ModeratorMessages.text(NOT_OURS));
        }
        ModeratorRequests.Ask ask;
        try {
            ask = ModeratorRequests.ask(root, interaction);
        } catch (InvalidAdminInput invalid) {
            return bytes(ModeratorMessages.text("**" + invalid.field() + "**: " + invalid.getMessage()));
        }
        return desk.answer(caller, ask).map(json::writeValueAsBytes);
    }

    /** Written when the time Discord waits ran out before the change and its audit event were both done. */
    byte[] tooSlow() {
        return json.writeValueAsBytes(ModeratorMessages.text("The gateway did not finish in time. "
                + "Use status to see whether it was done."));
    }

    private Mono<byte[]> bytes(ModeratorMessages.Response response) {
        return Mono.just(json.writeValueAsBytes(response));
    }
}
