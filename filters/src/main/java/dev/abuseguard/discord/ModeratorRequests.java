package dev.abuseguard.discord;

import dev.abuseguard.admin.InvalidAdminInput;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads a moderator's command or button click from a verified interaction: who sent it (to check first), then
 * what is asked. Anything the command's definition would not let Discord send is an {@link InvalidAdminInput}
 * naming the field, so a member reads what was wrong and nothing is done.
 */
final class ModeratorRequests {

    /** The gateway's own buttons: {@code abuse-guard:<verb>:<user id>}, a prefix no bot's own component needs. */
    static final String BUTTON_PREFIX = "abuse-guard:";

    private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");
    private static final int MOST_OPTIONS = 8;
    private static final int LONGEST_NAME = 100;

    /** The sender: checked before anything else of the interaction is read. */
    record Caller(String userId, String guildId, String permissions, List<String> roles) {
    }

    /**
     * What the moderator asks.
     *
     * @param targetName the user's display name from {@code data.resolved.users}; null when not given (a button)
     * @param clicked    a button of an earlier answer, which Discord wants answered by updating that message
     */
    record Ask(ModeratorSubcommand subcommand, String targetId, String targetName, String duration, String reason,
               boolean clicked) {
    }

    private ModeratorRequests() {
    }

    /** The parser has checked the user and guild ids; the member's permissions and roles are read here. */
    static Caller caller(JsonNode root, Interaction interaction) {
        JsonNode member = root.path("member");
        String permissions = member.path("permissions").isString() ? member.path("permissions").stringValue() : null;
        List<String> roles = new ArrayList<>();
        for (JsonNode role : member.path("roles")) {
            if (role.isString()) {
                roles.add(role.stringValue());
            }
        }
        return new Caller(interaction.userId(), interaction.guildId(), member.isObject() ? permissions : null,
                List.copyOf(roles));
    }

    /** @throws InvalidAdminInput naming the option or {@code custom_id} that is not as the command defines it */
    static Ask ask(JsonNode root, Interaction interaction) {
        return interaction.isNamedByCustomId() ? button(interaction.name()) : command(root.path("data"));
    }

    private static Ask command(JsonNode data) {
        JsonNode sub = data.path("options").path(0);
        String named = sub.path("name").isString() ? sub.path("name").stringValue() : "";
        ModeratorSubcommand subcommand = ModeratorSubcommand.named(named).filter(s -> sub.path("type").asInt() == 1)
                .orElseThrow(() -> new InvalidAdminInput("subcommand",
                        "Use one of the subcommands: status, history, reset, ban, unban, exempt, limits."));
        Map<ModeratorOption, String> values = new EnumMap<>(ModeratorOption.class);
        JsonNode options = sub.path("options");
        if (options.size() > MOST_OPTIONS) {
            throw new InvalidAdminInput("options", "Too many options.");
        }
        for (JsonNode node : options) {
            ModeratorOption option = option(subcommand, node);
            if (values.put(option, value(option, node)) != null) {
                throw new InvalidAdminInput(option.wireName(), option.wireName() + " is given twice.");
            }
        }
        for (ModeratorOption option : subcommand.options()) {
            if (option.required() && !values.containsKey(option)) {
                throw new InvalidAdminInput(option.wireName(), option.wireName() + " is required.");
            }
        }
        String target = values.get(ModeratorOption.USER);
        if (target != null && !SNOWFLAKE.matcher(target).matches()) {
            throw new InvalidAdminInput("user", "user must be a Discord user.");
        }
        String name = target == null ? null : name(data.path("resolved").path("users").path(target));
        return new Ask(subcommand, target, name, values.get(ModeratorOption.DURATION),
                values.get(ModeratorOption.REASON), false);
    }

    private static ModeratorOption option(ModeratorSubcommand subcommand, JsonNode option) {
        String name = option.path("name").isString() ? option.path("name").stringValue() : "";
        for (ModeratorOption known : subcommand.options()) {
            if (known.wireName().equals(name) && option.path("type").asInt() == known.type()) {
                return known;
            }
        }
        throw new InvalidAdminInput(name.length() <= 32 ? name : "option",
                subcommand.wireName() + " has no such option.");
    }

    private static String value(ModeratorOption known, JsonNode option) {
        if (!option.path("value").isString()) {
            throw new InvalidAdminInput(known.wireName(), known.wireName() + " must be text.");
        }
        String value = option.path("value").stringValue();
        if (known.maxLength() > 0 && value.length() > known.maxLength()) {
            throw new InvalidAdminInput(known.wireName(), known.wireName() + " is at most " + known.maxLength()
                    + " characters.");
        }
        return value;
    }

    /** The user's name as Discord shows it, or null; the id is what counts, the name only helps read. */
    private static String name(JsonNode user) {
        JsonNode name = user.path("global_name").isString() ? user.path("global_name") : user.path("username");
        if (!name.isString() || name.stringValue().isBlank()) {
            return null;
        }
        String text = name.stringValue();
        return text.length() <= LONGEST_NAME ? text : text.substring(0, LONGEST_NAME);
    }

    /** A click on one of the gateway's buttons: the verb and the target id are checked as a command's would be. */
    private static Ask button(String customId) {
        String[] parts = customId == null ? new String[0] : customId.split(":", -1);
        if (parts.length != 3 || !customId.startsWith(BUTTON_PREFIX) || !SNOWFLAKE.matcher(parts[2]).matches()) {
            throw new InvalidAdminInput("custom_id", "This is not one of the gateway's buttons.");
        }
        ModeratorSubcommand subcommand = switch (parts[1]) {
            case "reset" -> ModeratorSubcommand.RESET;
            case "ban" -> ModeratorSubcommand.BAN;
            case "unban" -> ModeratorSubcommand.UNBAN;
            default -> throw new InvalidAdminInput("custom_id", "This is not one of the gateway's buttons.");
        };
        return new Ask(subcommand, parts[2], null, null, null, true);
    }

    /** The {@code custom_id} of a button acting on {@code userId}. */
    static String button(ModeratorSubcommand verb, String userId) {
        return BUTTON_PREFIX + verb.wireName() + ":" + userId;
    }
}
