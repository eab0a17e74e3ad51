package dev.abuseguard.discord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.abuse.UserHistory;
import dev.abuseguard.abuse.UserStanding;
import dev.abuseguard.abuse.Violation;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.strategy.StrategyType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import tools.jackson.databind.json.JsonMapper;

class ModeratorMessagesTest {

    private static final JsonMapper JSON = new JsonMapper();
    private static final String USER = "200000000000000077";

    private static String json(ModeratorMessages.Response response) {
        return JSON.writeValueAsString(response);
    }

    @Test
    void aBlockedUsersStatusShowsTheBlocksEndAndAnUnbanButton() throws Exception {
        UserHistory history = new UserHistory(new UserStanding(USER, 120, true, 1_767_225_600_500L, 12, "pack_create",
                1_767_225_000_000L, 1), List.of(new Violation(1_767_225_000_000L, "pack_create", 120),
                new Violation(1_767_224_940_000L, "pack_purchase", 110)));

        String json = json(ModeratorMessages.respond(ModeratorMessages.status(USER, "Zoë", history, null), false));

        JSONAssert.assertEquals("""
                {"type":4,"data":{"flags":64,"embeds":[{"title":"Abuse standing",
                  "description":"User `200000000000000077` (Zoë)","color":15158332,
                  "fields":[{"name":"Score","value":"120","inline":true},
                            {"name":"Standing","value":"Blocked, ends <t:1767225601:R>","inline":true},
                            {"name":"Violations","value":"12","inline":true},
                            {"name":"Last violations","value":"`pack_create` <t:1767225000:R>, score 120\\n\
                `pack_purchase` <t:1767224940:R>, score 110","inline":false}],
                  "footer":{"text":"abuse-guard"}}],
                  "components":[{"type":1,"components":[
                    {"type":2,"style":2,"label":"Reset","custom_id":"abuse-guard:reset:200000000000000077"},
                    {"type":2,"style":3,"label":"Unban","custom_id":"abuse-guard:unban:200000000000000077"}]}],
                  "allowed_mentions":{"parse":[]}}}""", json, JSONCompareMode.STRICT);
    }

    @Test
    void aUserWithoutARecordIsCleanWithABanButton() throws Exception {
        String json = json(ModeratorMessages.respond(ModeratorMessages.status(USER, null, null, "Reset."), true));

        JSONAssert.assertEquals("""
                {"type":7,"data":{"embeds":[{"description":"User `200000000000000077`\\n**Reset.**","color":3066993,
                  "fields":[{"value":"0"},{"value":"Not blocked"},{"value":"0"},{"value":"None kept"}]}],
                  "components":[{"components":[{"label":"Reset"},
                    {"style":4,"label":"Ban","custom_id":"abuse-guard:ban:200000000000000077"}]}],
                  "allowed_mentions":{"parse":[]}}}""", json, JSONCompareMode.LENIENT);
        assertThat(json).doesNotContain("flags"); // an update keeps the message's own flags
    }

    @Test
    void namesAreShownAsTypedNeverFormattedOrPinging() {
        assertThat(ModeratorMessages.who(USER, "**@everyone** <@1> `x` [a](http://x)"))
                .isEqualTo("`200000000000000077` (\\*\\*\\@everyone\\*\\* \\<\\@1\\> \\`x\\` \\[a\\](http://x))");
        assertThat(ModeratorMessages.escape("a\nb\u0000")).isEqualTo("a b ");
    }

    @Test
    void limitsListEachActionByName() {
        Map<String, ActionPolicy> actions = new LinkedHashMap<>();
        actions.put("pack_create", ActionPolicy.of(5, Duration.ofHours(1), StrategyType.TOKEN_BUCKET));
        actions.put("payment", ActionPolicy.of(10, Duration.ofMillis(1500), StrategyType.SLIDING_WINDOW_COUNTER)
                .withShadow(true));

        String description = ModeratorMessages.limits(actions).embeds().get(0).description();

        assertThat(description).isEqualTo("`pack_create` 5 per 1h, token-bucket\n"
                + "`payment` 10 per 1500ms, sliding-window-counter (shadow mode)");
    }

    @Test
    void aLongListOfLimitsStopsWithinWhatDiscordShows() {
        Map<String, ActionPolicy> actions = new LinkedHashMap<>();
        for (int i = 0; i < 500; i++) {
            actions.put("action_" + i, ActionPolicy.of(5, Duration.ofHours(1), StrategyType.TOKEN_BUCKET));
        }

        String description = ModeratorMessages.limits(actions).embeds().get(0).description();

        assertThat(description.length()).isLessThan(4096);
        assertThat(description).endsWith("more (see /admin)");
    }
}
