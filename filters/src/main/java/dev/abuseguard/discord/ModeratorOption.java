package dev.abuseguard.discord;

/**
 * An option of a moderator's subcommand, as registered with Discord and as the gateway reads it back: one list,
 * so the command Discord shows and the handler cannot disagree.
 */
enum ModeratorOption {

    USER("user", ModeratorOption.USER_TYPE, true, 0, "The member or user the command is about"),
    DURATION("duration", ModeratorOption.STRING_TYPE, false, 20,
            "How long, like 30m, 1h or 7d (default: until lifted)"),
    REASON("reason", ModeratorOption.STRING_TYPE, false, 200, "Why, for the audit trail");

    /** Discord's option types: a string, and a user (the value a user id, the user under data.resolved.users). */
    static final int STRING_TYPE = 3;
    static final int USER_TYPE = 6;

    private final String wireName;
    private final int type;
    private final boolean required;
    private final int maxLength;
    private final String description;

    ModeratorOption(String wireName, int type, boolean required, int maxLength, String description) {
        this.wireName = wireName;
        this.type = type;
        this.required = required;
        this.maxLength = maxLength;
        this.description = description;
    }

    String wireName() {
        return wireName;
    }

    int type() {
        return type;
    }

    boolean required() {
        return required;
    }

    /** The longest value Discord lets a member type (string options); 0 for a user. */
    int maxLength() {
        return maxLength;
    }

    String description() {
        return description;
    }
}
