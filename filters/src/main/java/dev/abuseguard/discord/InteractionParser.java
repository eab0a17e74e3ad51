package dev.abuseguard.discord;

import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the few fields the gateway needs from a verified interaction. Ids are Discord snowflakes (digits
 * only), so a user id can never break out of its Redis hash tag.
 */
final class InteractionParser {

    private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");

    private final JsonMapper json;

    InteractionParser(JsonMapper json) {
        this.json = json;
    }

    /** @throws Refusal (400) when the body is not an interaction */
    Interaction parse(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException notJson) {
            throw Refusal.notAnInteraction("The body is not JSON.");
        }
        if (root == null || !root.isObject() || !root.path("type").isInt() || root.path("type").intValue() < 1) {
            throw Refusal.notAnInteraction("The body is not an interaction: it needs a numeric type.");
        }
        int type = root.path("type").intValue();
        if (type == Interaction.PING) {
            return new Interaction(null, type, null, null, null);
        }
        JsonNode user = root.path("member").isObject() ? root.path("member").path("user") : root.path("user");
        String userId = snowflake(user.path("id"), "member.user.id or user.id");
        if (userId == null) {
            throw Refusal.notAnInteraction("The interaction names no user (member.user.id or user.id).");
        }
        String id = snowflake(root.path("id"), "id");
        if (id == null) {
            throw Refusal.notAnInteraction("The interaction has no id.");
        }
        String guildId = snowflake(root.path("guild_id"), "guild_id");
        JsonNode data = root.path("data");
        JsonNode name = Interaction.namedByCustomId(type) ? data.path("custom_id") : data.path("name");
        return new Interaction(id, type, userId, guildId, name.isString() ? name.stringValue() : null);
    }

    /** The snowflake in {@code node}, null when absent; anything else present there is refused. */
    private static String snowflake(JsonNode node, String field) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isString() || !SNOWFLAKE.matcher(node.stringValue()).matches()) {
            throw Refusal.notAnInteraction("The interaction's " + field + " must be a Discord id (digits).");
        }
        return node.stringValue();
    }
}
