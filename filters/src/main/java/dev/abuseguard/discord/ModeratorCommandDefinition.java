package dev.abuseguard.discord;

import dev.abuseguard.policy.DiscordProperties;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The moderators' command as Discord registers it ({@code POST /applications/<app id>/commands}): built from the
 * same subcommands and options the handler reads, so what members can type is exactly what the gateway accepts.
 * Served by the admin API ({@code GET /admin/api/discord/commands}).
 */
public final class ModeratorCommandDefinition {

    /** Discord's command type of a slash command, and option type of a subcommand. */
    private static final int CHAT_INPUT = 1;
    private static final int SUB_COMMAND = 1;
    /** Interaction context 0: a guild. Nowhere else (no DMs with the bot, no private channels). */
    private static final int GUILD_CONTEXT = 0;
    /** Installed to a guild, where moderators are (not to a user's own account). */
    private static final int GUILD_INSTALL = 0;
    private static final BigInteger ADMINISTRATOR = BigInteger.ONE.shiftLeft(3);

    private ModeratorCommandDefinition() {
    }

    /** The command's JSON as a map, in the order Discord documents its fields. */
    public static Map<String, Object> of(DiscordProperties.Moderators moderators) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("name", moderators.command());
        command.put("type", CHAT_INPUT);
        command.put("description", "See and act on the gateway's standing of a user (abuse-guard)");
        command.put("default_member_permissions", defaultMemberPermissions(moderators.permissions()));
        command.put("dm_permission", false);
        command.put("contexts", List.of(GUILD_CONTEXT));
        command.put("integration_types", List.of(GUILD_INSTALL));
        List<Map<String, Object>> subcommands = new ArrayList<>();
        for (ModeratorSubcommand subcommand : ModeratorSubcommand.values()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", SUB_COMMAND);
            entry.put("name", subcommand.wireName());
            entry.put("description", subcommand.description());
            entry.put("options", subcommand.options().stream().map(ModeratorCommandDefinition::option).toList());
            subcommands.add(entry);
        }
        command.put("options", subcommands);
        return command;
    }

    private static Map<String, Object> option(ModeratorOption option) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("type", option.type());
        entry.put("name", option.wireName());
        entry.put("description", option.description());
        entry.put("required", option.required());
        if (option.maxLength() > 0) {
            entry.put("max_length", option.maxLength());
        }
        return entry;
    }

    /**
     * Who Discord shows the command to until a guild's admins change it. Discord asks for all the bits given and
     * lets an Administrator see every command, while the gateway accepts any one of the configured bits: so
     * Administrator is left out when other bits are configured (Moderate Members alone, by default).
     */
    static String defaultMemberPermissions(String configured) {
        BigInteger bits = new BigInteger(configured);
        BigInteger withoutAdministrator = bits.andNot(ADMINISTRATOR);
        return (withoutAdministrator.signum() == 0 ? bits : withoutAdministrator).toString();
    }
}
