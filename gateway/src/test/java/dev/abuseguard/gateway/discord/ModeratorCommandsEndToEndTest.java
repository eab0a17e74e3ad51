package dev.abuseguard.gateway.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Each subcommand of {@code /abuse} and each button of its {@code status}, as a moderator uses them in Discord:
 * answered by the gateway (ephemeral embeds, buttons answered by updating the message), done through the admin
 * API's own calls with the moderator's Discord id as the audit actor, never forwarded to the bot.
 */
class ModeratorCommandsEndToEndTest extends ModeratorEndToEnd {

    /** Each test's own target: the gateway's copy of the blocks outlives the Redis flush between tests. */
    private static final AtomicLong TARGETS = new AtomicLong(200_000_000_000_000_100L);
    private final String target = Long.toString(TARGETS.incrementAndGet());

    @Test
    void statusShowsTheViolationsAndItsButtonsBanUnbanAndReset() {
        assertForwarded(open(target));
        open(target); // over pack_create's limit of 1: two violations
        open(target);

        JsonNode status = answer(MODERATOR.command("abuse", "status", "Zoë", "user", target));
        System.out.println("moderator status answer: " + status);

        assertThat(status.path("type").intValue()).isEqualTo(4);
        assertThat(status.path("data").path("flags").intValue()).isEqualTo(64);
        assertThat(status.path("data").path("allowed_mentions").toString()).isEqualTo("{\"parse\":[]}");
        JsonNode embed = status.path("data").path("embeds").path(0);
        assertThat(embed.path("description").stringValue()).isEqualTo("User `" + target + "` (Zoë)");
        assertThat(Long.parseLong(field(status, "Score"))).isPositive();
        assertThat(field(status, "Standing")).isEqualTo("Not blocked");
        assertThat(field(status, "Violations")).isEqualTo("2");
        assertThat(field(status, "Last violations")).matches("(`pack_create` <t:\\d+:R>, score \\d+\\n?){2}");
        assertThat(buttons(status)).containsExactly("Reset abuse-guard:reset:" + target,
                "Ban abuse-guard:ban:" + target);

        JsonNode banned = answer(MODERATOR.click("abuse-guard:ban:" + target));
        assertThat(banned.path("type").intValue()).as("the clicked message updated").isEqualTo(7);
        assertThat(banned.path("data").path("embeds").path(0).path("description").stringValue())
                .isEqualTo("User `" + target + "`\n**Banned until unbanned.**");
        assertThat(field(banned, "Standing")).isEqualTo("Blocked until lifted");
        assertThat(buttons(banned)).containsExactly("Reset abuse-guard:reset:" + target,
                "Unban abuse-guard:unban:" + target);
        assertEphemeralText(open(target), "You can't use this bot until a moderator lifts your block.");

        JsonNode unbanned = answer(MODERATOR.click("abuse-guard:unban:" + target));
        assertThat(unbanned.path("type").intValue()).isEqualTo(7);
        assertThat(field(unbanned, "Standing")).isEqualTo("Not blocked");
        assertThat(field(unbanned, "Violations")).isEqualTo("2");

        JsonNode reset = answer(MODERATOR.click("abuse-guard:reset:" + target));
        assertThat(field(reset, "Score")).isEqualTo("0");
        assertThat(field(reset, "Violations")).isEqualTo("0");
        assertThat(field(reset, "Last violations")).isEqualTo("None kept");

        List<Map<String, Object>> events = events(3);
        assertThat(events).extracting(e -> e.get("type")).containsExactly("RESET", "UNBLOCK", "BAN");
        assertThat(events).allSatisfy(event -> assertThat(event).containsEntry("by", "discord:" + MODERATOR_ID)
                .containsEntry("userId", target));
        assertThat(events.get(2)).containsEntry("detail", "until unbanned; guild " + GUILD);
        assertThat(events.get(0)).containsEntry("detail", "guild " + GUILD);
        bot.verify(1, postRequestedFor(anyUrl())); // the target's first open alone
        assertTheBotGotNoModeratorInteraction();
    }

    @Test
    void banForADurationWithAReasonThenHistoryAndUnban() {
        long now = clock.millis() / 1000;
        JsonNode banned = answer(MODERATOR.command("abuse", "ban", "Zoë", "user", target, "duration", "1h",
                "reason", "spam *links*"));

        assertThat(banned.path("type").intValue()).isEqualTo(4);
        assertThat(banned.path("data").path("embeds").path(0).path("description").stringValue())
                .isEqualTo("User `" + target + "` (Zoë)\n**Banned for 1h: spam \\*links\\*.**");
        String standing = field(banned, "Standing");
        assertThat(standing).matches("Blocked, ends <t:\\d+:R>");
        long ends = Long.parseLong(standing.replaceAll("\\D", ""));
        assertThat(ends).isBetween(now + 3600 - 5, now + 3600 + 5);
        assertThat(events(1).get(0)).containsEntry("type", "BAN").containsEntry("by", "discord:" + MODERATOR_ID)
                .containsEntry("detail", "for PT1H; reason: spam *links*; guild " + GUILD);

        JsonNode history = answer(MODERATOR.command("abuse", "history", "Zoë", "user", target));
        assertThat(history.path("data").path("flags").intValue()).isEqualTo(64);
        assertThat(history.path("data").path("embeds").path(0).path("title").stringValue())
                .isEqualTo("Last violations");
        assertThat(history.path("data").path("embeds").path(0).path("description").stringValue())
                .isEqualTo("User `" + target + "` (Zoë)\nNone kept");

        JsonNode unbanned = answer(MODERATOR.command("abuse", "unban", "Zoë", "user", target));
        assertThat(field(unbanned, "Standing")).isEqualTo("Not blocked");
        assertThat(events(1).get(0)).containsEntry("type", "UNBLOCK").containsEntry("by", "discord:" + MODERATOR_ID);
        assertTheBotGotNoModeratorInteraction();
        bot.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void exemptLetsTheUserThroughAndLimitsListsTheActionsInForce() {
        JsonNode exempt = answer(MODERATOR.command("abuse", "exempt", "Zoë", "user", target, "duration", "30m"));
        assertThat(exempt.path("data").path("embeds").path(0).path("description").stringValue())
                .endsWith("**Exempt from every limit for 30m.**");
        assertThat(events(1).get(0)).containsEntry("type", "OVERRIDE")
                .containsEntry("by", "discord:" + MODERATOR_ID)
                .containsEntry("detail", "exempt for PT30M; guild " + GUILD);

        for (int i = 0; i < 3; i++) { // pack_create allows 1 an hour; the exempt user passes each time
            assertForwarded(open(target));
        }

        JsonNode limits = answer(MODERATOR.command("abuse", "limits", null));
        assertThat(limits.path("data").path("flags").intValue()).isEqualTo(64);
        assertThat(limits.path("data").path("embeds").path(0).path("description").stringValue()).isEqualTo(
                "`discord_command` 30 per 1m, token-bucket\n`moderating` 6 per 1h, token-bucket\n"
                        + "`pack_create` 1 per 1h, token-bucket");
        bot.verify(3, postRequestedFor(anyUrl()));
        assertTheBotGotNoModeratorInteraction();
    }

    @Test
    void aBadDurationIsAnEphemeralErrorNamingItAndNothingIsDone() {
        assertEphemeralText(answer(MODERATOR.command("abuse", "ban", "Zoë", "user", target, "duration", "soon")),
                "**duration**: duration must be a duration like 30m, 1h or 7d.");
        assertEphemeralText(answer(MODERATOR.command("abuse", "exempt", "Zoë", "user", target, "duration", "0s")),
                "**duration**: duration must be more than 0 and at most 3650d.");
        assertEphemeralText(answer(MODERATOR.command("abuse", "unban", "Zoë", "user", target)),
                "The gateway has no record of user " + target + ".");

        assertThat(field(answer(MODERATOR.command("abuse", "status", "Zoë", "user", target)), "Standing"))
                .isEqualTo("Not blocked");
        assertThat(events(10)).isEmpty();
        assertTheBotGotNoModeratorInteraction();
    }
}
