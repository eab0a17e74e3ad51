package dev.abuseguard.discord;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.abuseguard.abuse.UserHistory;
import dev.abuseguard.abuse.UserStanding;
import dev.abuseguard.abuse.Violation;
import dev.abuseguard.policy.ActionPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a moderator reads: Discord interaction responses with embeds, ephemeral, pinging nobody. Ids are written in
 * inline code, never in mention syntax, and names taken from Discord are escaped, so no text a user chose can
 * format, ping or pass for the gateway's words. Pure: the same input, the same JSON.
 */
final class ModeratorMessages {

    static final int CHANNEL_MESSAGE = 4;
    static final int UPDATE_MESSAGE = 7;
    static final int EPHEMERAL = 1 << 6;

    private static final int GREEN = 0x2ECC71;
    private static final int ORANGE = 0xE67E22;
    private static final int RED = 0xE74C3C;
    private static final int GREY = 0x95A5A6;
    private static final int ACTION_ROW = 1;
    private static final int BUTTON = 2;
    private static final int SUCCESS = 3;
    private static final int SECONDARY = 2;
    private static final int DANGER = 4;
    private static final int LAST_IN_STATUS = 5;
    private static final int LAST_IN_HISTORY = 15;
    /** Discord allows 4096 characters in an embed's description; the rest of a long list is counted instead. */
    private static final int LONGEST_DESCRIPTION = 3800;

    record Response(int type, Data data) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Data(Integer flags, String content, List<Embed> embeds, List<Row> components,
                @JsonProperty("allowed_mentions") AllowedMentions allowedMentions) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Embed(String title, String description, Integer color, List<Field> fields, Footer footer) {
    }

    record Field(String name, String value, boolean inline) {
    }

    record Footer(String text) {
    }

    record Row(int type, List<Button> components) {
    }

    record Button(int type, int style, String label, @JsonProperty("custom_id") String customId) {
    }

    record AllowedMentions(List<String> parse) {
    }

    private static final AllowedMentions NOBODY = new AllowedMentions(List.of());

    private ModeratorMessages() {
    }

    /** A new ephemeral message, or (for a button's click) the clicked message replaced. */
    static Response respond(Data data, boolean update) {
        return update ? new Response(UPDATE_MESSAGE, data) : new Response(CHANNEL_MESSAGE,
                new Data(EPHEMERAL, data.content(), data.embeds(), data.components(), NOBODY));
    }

    /** Always a new ephemeral message: a refusal or an error never replaces what the moderator was looking at. */
    static Response text(String content) {
        return new Response(CHANNEL_MESSAGE, new Data(EPHEMERAL, content, null, null, NOBODY));
    }

    /**
     * A user's standing with the buttons that act on it.
     *
     * @param history null when the gateway has no record of the user (a clean standing)
     * @param done    what was just done, or null
     */
    static Data status(String userId, String name, UserHistory history, String done) {
        UserStanding s = history == null ? null : history.standing();
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("Score", s == null ? "0" : Long.toString(s.score()), true));
        fields.add(new Field("Standing", standing(s), true));
        fields.add(new Field("Violations", s == null ? "0" : Long.toString(s.violations()), true));
        fields.add(new Field("Last violations", violations(history, LAST_IN_STATUS), false));
        String description = "User " + who(userId, name) + (done == null ? "" : "\n**" + done + "**");
        int color = s == null ? GREEN : s.blocked() ? RED : s.score() > 0 ? ORANGE : GREEN;
        Embed embed = new Embed("Abuse standing", description, color, fields, new Footer("abuse-guard"));
        boolean blocked = s != null && s.blocked();
        List<Button> buttons = List.of(button(SECONDARY, "Reset", ModeratorSubcommand.RESET, userId), blocked
                ? button(SUCCESS, "Unban", ModeratorSubcommand.UNBAN, userId)
                : button(DANGER, "Ban", ModeratorSubcommand.BAN, userId));
        return new Data(null, null, List.of(embed), List.of(new Row(ACTION_ROW, buttons)), NOBODY);
    }

    private static Button button(int style, String label, ModeratorSubcommand verb, String userId) {
        return new Button(BUTTON, style, label, ModeratorRequests.button(verb, userId));
    }

    static Data history(String userId, String name, UserHistory history) {
        String description = "User " + who(userId, name) + "\n" + violations(history, LAST_IN_HISTORY);
        return embed(new Embed("Last violations", description, GREY, null, new Footer(
                history == null ? "No record" : history.standing().violations() + " violations in all")));
    }

    /** The limits in force, one line per action by name. */
    static Data limits(Map<String, ActionPolicy> actions) {
        StringBuilder lines = new StringBuilder();
        int listed = 0;
        for (Map.Entry<String, ActionPolicy> entry : actions.entrySet()) {
            String line = "`" + entry.getKey() + "` " + limit(entry.getValue()) + "\n";
            if (lines.length() + line.length() > LONGEST_DESCRIPTION) {
                lines.append("… and ").append(actions.size() - listed).append(" more (see /admin)");
                break;
            }
            lines.append(line);
            listed++;
        }
        return embed(new Embed("Limits in force", lines.toString().strip(), GREY, null,
                new Footer(actions.size() + " actions")));
    }

    private static Data embed(Embed embed) {
        return new Data(null, null, List.of(embed), null, NOBODY);
    }

    private static String limit(ActionPolicy policy) {
        String text = policy.limit() + " per " + duration(policy.window()) + ", "
                + policy.strategy().name().toLowerCase(Locale.ROOT).replace('_', '-');
        if (policy.global() != null) {
            text += "; all users " + policy.global().limit() + " per " + duration(policy.global().window());
        }
        return policy.shadow() ? text + " (shadow mode)" : text;
    }

    private static String standing(UserStanding s) {
        if (s == null || !s.blocked()) {
            return "Not blocked";
        }
        if (s.blockedUntil() < 0) {
            return "Blocked until lifted";
        }
        return "Blocked, ends " + timestamp(s.blockedUntil());
    }

    private static String violations(UserHistory history, int most) {
        if (history == null || history.violations().isEmpty()) {
            return "None kept";
        }
        StringBuilder lines = new StringBuilder();
        for (Violation v : history.violations().subList(0, Math.min(most, history.violations().size()))) {
            lines.append('`').append(v.action()).append("` ").append(timestamp(v.atMillis()))
                    .append(", score ").append(v.scoreAfter()).append('\n');
        }
        return lines.toString().strip();
    }

    /** A Discord timestamp: each reader sees "3 minutes ago" or "in 2 hours" in their own language. */
    static String timestamp(long epochMillis) {
        return "<t:" + Math.floorDiv(epochMillis + 999, 1000) + ":R>";
    }

    /** An id in inline code (never {@code <@id>}), with the name beside it when Discord gave one. */
    static String who(String userId, String name) {
        return "`" + userId + "`" + (name == null ? "" : " (" + escape(name) + ")");
    }

    /** Markdown a name could carry, made literal: a name is shown as typed, never formatted. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if ("\\*_~`|>#[]<@".indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(Character.isISOControl(c) ? ' ' : c);
        }
        return escaped.toString();
    }

    /** As routes.yml writes durations: the largest unit that divides the duration exactly. */
    static String duration(Duration duration) {
        long ms = duration.toMillis();
        long[] sizes = {86_400_000, 3_600_000, 60_000, 1000, 1};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0 && ms >= sizes[i]) {
                return ms / sizes[i] + units[i];
            }
        }
        return "0s";
    }
}
