package dev.abuseguard.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Interactions of the moderators' command as Discord sends them: a member with permissions and roles, a
 * subcommand with its options and the target under {@code data.resolved}, or a click on one of the gateway's
 * buttons. Each has an id of its own, since the gateway answers a repeated id as a replay.
 */
public final class ModeratorInteractions {

    public static final String ADMINISTRATOR = Long.toString(1L << 3);
    public static final String MODERATE_MEMBERS = Long.toString(1L << 40);
    /** View Channel, Send Messages, Read Message History, Use Application Commands: an ordinary member. */
    public static final String MEMBER = Long.toString((1L << 10) | (1L << 11) | (1L << 16) | (1L << 31));

    private static final AtomicLong IDS = new AtomicLong(1_500_000_000_000_000_000L);

    private final String moderatorId;
    private final String guildId;
    private final String permissions;
    private final List<String> roles;

    private ModeratorInteractions(String moderatorId, String guildId, String permissions, List<String> roles) {
        this.moderatorId = moderatorId;
        this.guildId = guildId;
        this.permissions = permissions;
        this.roles = List.copyOf(roles);
    }

    /** A member of {@code guildId} with these permissions (Discord's decimal string) and roles. */
    public static ModeratorInteractions member(String userId, String guildId, String permissions, String... roles) {
        return new ModeratorInteractions(userId, guildId, permissions, List.of(roles));
    }

    /** A user in a DM with the bot: no guild, no member, no permissions. */
    public static ModeratorInteractions inDm(String userId) {
        return new ModeratorInteractions(userId, null, null, List.of());
    }

    /**
     * {@code /<command> <subcommand> user:<target> name:value...}: options as name/value pairs; {@code user} is a
     * USER option (type 6) resolved to a user named {@code targetName}, the others strings.
     */
    public byte[] command(String command, String subcommand, String targetName, String... options) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < options.length; i += 2) {
            values.put(options[i], options[i + 1]);
        }
        List<String> encoded = new ArrayList<>();
        values.forEach((name, value) -> encoded.add("{\"name\":\"" + name + "\",\"type\":"
                + (name.equals("user") ? 6 : 3) + ",\"value\":\"" + value + "\"}"));
        String target = values.get("user");
        String resolved = target == null ? "" : ",\"resolved\":{\"users\":{\"" + target + "\":"
                + user(target, targetName)
                + "},\"members\":{\"" + target + "\":{\"roles\":[],\"nick\":null,\"permissions\":\"" + MEMBER + "\"}}}";
        return subcommandData(command, "{\"name\":\"" + subcommand + "\",\"type\":1,\"options\":["
                + String.join(",", encoded) + "]}", resolved);
    }

    /** The command with a data.options of the test's own making, for what Discord would never send. */
    public byte[] commandWithRawSubcommand(String command, String subcommandJson) {
        return subcommandData(command, subcommandJson, "");
    }

    private byte[] subcommandData(String command, String subcommandJson, String resolved) {
        return interaction(2, "{\"id\":\"1400000000000000001\",\"name\":\"" + command + "\",\"type\":1,\"options\":["
                + subcommandJson + "]" + resolved + "}");
    }

    /** A click on a button of an earlier answer, with its {@code custom_id}. */
    public byte[] click(String customId) {
        return interaction(3, "{\"component_type\":2,\"custom_id\":\"" + customId + "\"}");
    }

    private byte[] interaction(int type, String data) {
        String who = guildId == null ? "\"user\":" + user(moderatorId, "mod")
                : "\"guild_id\":\"" + guildId + "\",\"channel_id\":\"700000000000000001\",\"member\":{\"roles\":["
                        + roles.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(","))
                        + "],\"nick\":null,\"permissions\":\"" + permissions + "\",\"user\":" + user(moderatorId, "mod")
                        + "}";
        return ("{\"app_permissions\":\"0\",\"application_id\":\"11\",\"id\":\"" + IDS.incrementAndGet()
                + "\",\"token\":\"aW50ZXJhY3Rpb24\",\"type\":" + type + ",\"version\":1,\"locale\":\"en-GB\","
                + who + ",\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static String user(String id, String name) {
        name = name == null ? "player" : name;
        return "{\"id\":\"" + id + "\",\"username\":\"" + name.toLowerCase() + "\",\"global_name\":\"" + name + "\"}";
    }
}
