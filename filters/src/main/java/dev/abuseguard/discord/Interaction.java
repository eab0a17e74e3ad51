package dev.abuseguard.discord;

/**
 * What the gateway needs of a verified interaction.
 *
 * @param id      the interaction's own snowflake, unique per interaction; null for a ping
 * @param type    Discord's interaction type (1 ping, 2 command, 3 component, 4 autocomplete, 5 modal submit)
 * @param userId  the user's snowflake: {@code member.user.id} in a guild, {@code user.id} in a DM; null for a ping
 * @param guildId the guild's snowflake, null in a DM
 * @param name    the command's name (commands, autocomplete) or the component's {@code custom_id}; may be null
 */
record Interaction(String id, int type, String userId, String guildId, String name) {

    static final int PING = 1;
    static final int APPLICATION_COMMAND = 2;
    static final int MESSAGE_COMPONENT = 3;
    static final int AUTOCOMPLETE = 4;
    static final int MODAL_SUBMIT = 5;

    boolean isPing() {
        return type == PING;
    }

    boolean isAutocomplete() {
        return type == AUTOCOMPLETE;
    }

    boolean isNamedByCustomId() {
        return namedByCustomId(type);
    }

    /** Components and modals are named by their {@code custom_id}, which bots prefix with what they do. */
    static boolean namedByCustomId(int type) {
        return type == MESSAGE_COMPONENT || type == MODAL_SUBMIT;
    }
}
