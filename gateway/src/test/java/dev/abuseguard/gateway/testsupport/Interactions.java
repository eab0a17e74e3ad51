package dev.abuseguard.gateway.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/** Interaction bodies as Discord sends them, cut down to what matters plus some of what does not. */
public final class Interactions {

    public static final byte[] PING = ("{\"application_id\":\"11\",\"id\":\"12\",\"token\":\"t\","
            + "\"type\":1,\"version\":1}")
            .getBytes(StandardCharsets.UTF_8);

    private Interactions() {
    }

    /** A slash command in a guild: the user is under {@code member.user}. */
    public static byte[] commandInGuild(String userId, String guildId, String command) {
        return interaction(2, "\"guild_id\":\"" + guildId + "\",\"member\":" + member(userId),
                "{\"id\":\"21\",\"name\":\"" + command + "\",\"type\":1}");
    }

    /** A slash command in a DM: the user is under {@code user}, and there is no guild. */
    public static byte[] commandInDm(String userId, String command) {
        return interaction(2, "\"user\":" + user(userId), "{\"id\":\"21\",\"name\":\"" + command + "\",\"type\":1}");
    }

    public static byte[] component(String userId, String guildId, String customId) {
        return interaction(3, "\"guild_id\":\"" + guildId + "\",\"member\":" + member(userId),
                "{\"component_type\":2,\"custom_id\":\"" + customId + "\"}");
    }

    public static byte[] autocomplete(String userId, String guildId, String command) {
        return interaction(4, "\"guild_id\":\"" + guildId + "\",\"member\":" + member(userId),
                "{\"id\":\"21\",\"name\":\"" + command + "\",\"type\":1,\"options\":[{\"name\":\"kind\",\"type\":3,"
                        + "\"value\":\"go\",\"focused\":true}]}");
    }

    /** Each interaction its own id, as Discord gives them: the gateway answers a repeated id as a replay. */
    private static final AtomicLong IDS = new AtomicLong(1_400_000_000_000_000_000L);

    private static byte[] interaction(int type, String who, String data) {
        return ("{\"app_permissions\":\"0\",\"application_id\":\"11\",\"id\":\"" + IDS.incrementAndGet()
                + "\",\"token\":\"aW50ZXJhY3Rpb24\","
                + "\"type\":" + type + ",\"version\":1,\"locale\":\"en-GB\"," + who + ",\"data\":" + data + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String member(String userId) {
        return "{\"roles\":[],\"nick\":null,\"user\":" + user(userId) + "}";
    }

    private static String user(String userId) {
        return "{\"id\":\"" + userId + "\",\"username\":\"player\",\"global_name\":\"Pl\\u00e4yer \u2728\"}";
    }
}
