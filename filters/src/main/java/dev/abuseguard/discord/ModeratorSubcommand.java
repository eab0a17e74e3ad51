package dev.abuseguard.discord;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The subcommands of the moderators' command, with their options in the order Discord shows them. */
enum ModeratorSubcommand {

    STATUS("status", "A user's score, standing, last violations and block", ModeratorOption.USER),
    HISTORY("history", "A user's last violations", ModeratorOption.USER),
    RESET("reset", "Clear a user's score, violations, block and rate-limit state", ModeratorOption.USER),
    BAN("ban", "Block a user from the bot, for a time or until unbanned", ModeratorOption.USER,
            ModeratorOption.DURATION, ModeratorOption.REASON),
    UNBAN("unban", "Lift a user's block or ban", ModeratorOption.USER),
    EXEMPT("exempt", "Let a user through every limit, for a time or until lifted", ModeratorOption.USER,
            ModeratorOption.DURATION, ModeratorOption.REASON),
    LIMITS("limits", "The limits in force");

    private final String wireName;
    private final String description;
    private final List<ModeratorOption> options;

    ModeratorSubcommand(String wireName, String description, ModeratorOption... options) {
        this.wireName = wireName;
        this.description = description;
        this.options = List.of(options);
    }

    String wireName() {
        return wireName;
    }

    String description() {
        return description;
    }

    List<ModeratorOption> options() {
        return options;
    }

    boolean takes(ModeratorOption option) {
        return options.contains(option);
    }

    static Optional<ModeratorSubcommand> named(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }
}
