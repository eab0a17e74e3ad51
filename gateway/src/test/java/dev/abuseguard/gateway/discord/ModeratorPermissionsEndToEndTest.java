package dev.abuseguard.gateway.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.testsupport.ModeratorInteractions;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * Who may use {@code /abuse}, read from the signed payload alone and checked again on every click, and what the
 * gateway does with what a member should not send: refused or named, ephemeral, nothing done, nothing forwarded.
 * The command's own action limits everyone who sends it; its registration JSON is behind the admin token.
 */
class ModeratorPermissionsEndToEndTest extends ModeratorEndToEnd {

    private static final AtomicLong TARGETS = new AtomicLong(200_000_000_000_000_500L);
    private static final String REFUSED = "Only this server's moderators can use this command.";
    private final String target = Long.toString(TARGETS.incrementAndGet());

    @Test
    void aMemberWithoutThePermissionIsRefusedForCommandAndButtonAlike() {
        ModeratorInteractions member = ModeratorInteractions.member("300000000000000002", GUILD,
                ModeratorInteractions.MEMBER, "900000000000000002");

        assertEphemeralText(answer(member.command("abuse", "ban", "Zoë", "user", target)), REFUSED);
        assertEphemeralText(answer(member.click("abuse-guard:ban:" + target)), REFUSED);
        assertEphemeralText(answer(member.command("abuse", "status", "Zoë", "user", target)), REFUSED);

        assertThat(field(answer(MODERATOR.command("abuse", "status", "Zoë", "user", target)), "Standing"))
                .isEqualTo("Not blocked");
        assertThat(events(10)).isEmpty();
        bot.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aConfiguredRoleOrAdministratorIsEnough() {
        ModeratorInteractions roleHolder = ModeratorInteractions.member("300000000000000003", GUILD,
                ModeratorInteractions.MEMBER, MODERATOR_ROLE);
        ModeratorInteractions administrator = ModeratorInteractions.member("300000000000000004", GUILD,
                ModeratorInteractions.ADMINISTRATOR);

        assertThat(field(answer(roleHolder.command("abuse", "ban", "Zoë", "user", target)), "Standing"))
                .isEqualTo("Blocked until lifted");
        assertThat(field(answer(administrator.click("abuse-guard:unban:" + target)), "Standing"))
                .isEqualTo("Not blocked");
        assertThat(events(2)).extracting(e -> e.get("by"))
                .containsExactly("discord:300000000000000004", "discord:300000000000000003");
    }

    @Test
    void nobodyMayInADm() {
        assertEphemeralText(answer(ModeratorInteractions.inDm(MODERATOR_ID).command("abuse", "ban", "Zoë",
                "user", target)), "This command works in a server only.");
        assertThat(events(10)).isEmpty();
        bot.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aForgedOrOddRequestIsNamedAndNothingIsDone() {
        for (String customId : List.of("abuse-guard:ban:u1", "abuse-guard:ban:" + target + ":1",
                "abuse-guard:purge:" + target, "abuse-guard:ban:" + "9".repeat(21))) {
            assertEphemeralText(answer(MODERATOR.click(customId)),
                    "**custom_id**: This is not one of the gateway's buttons.");
        }
        assertEphemeralText(answer(MODERATOR.command("abuse", "ban", "Zoë", "user", target, "reason",
                "x".repeat(5000))), "**reason**: reason is at most 200 characters.");
        assertThat(events(10)).isEmpty();
        bot.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theCommandIsLimitedByItsOwnActionAndABlockedModeratorIsRefused() {
        ModeratorInteractions moderator = ModeratorInteractions.member("300000000000000005", GUILD,
                ModeratorInteractions.MODERATE_MEMBERS);
        for (int i = 0; i < 6; i++) { // moderating: 6 an hour
            assertThat(answer(moderator.command("abuse", "limits", null)).path("data").path("embeds").size())
                    .isEqualTo(1);
        }
        JsonNode limited = answer(moderator.command("abuse", "limits", null));
        assertThat(limited.path("data").path("content").stringValue())
                .matches("You're doing that too often\\. You can try again <t:\\d+:R>\\.");

        answer(MODERATOR.command("abuse", "ban", "mod", "user", "300000000000000005"));
        assertThat(answer(moderator.command("abuse", "unban", "mod", "user", "300000000000000005"))
                .path("data").path("content").stringValue())
                .isEqualTo("You can't use this bot until a moderator lifts your block.");
        bot.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theCommandToRegisterIsServedBehindTheAdminToken() {
        JsonNode command = JSON.readTree(gateway.client().get().uri("/admin/api/discord/commands")
                .header("Authorization", "Bearer " + TOKEN).exchange()
                .expectStatus().isOk().expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(command.path("name").stringValue()).isEqualTo("abuse");
        assertThat(command.path("default_member_permissions").stringValue()).isEqualTo(Long.toString(1L << 40));
        assertThat(command.path("dm_permission").booleanValue()).isFalse();
        assertThat(command.path("contexts").toString()).isEqualTo("[0]");
        assertThat(command.path("options").valueStream().map(o -> o.path("name").stringValue()).toList())
                .containsExactly("status", "history", "reset", "ban", "unban", "exempt", "limits");

        gateway.client().get().uri("/admin/api/discord/commands").exchange().expectStatus().isUnauthorized();
    }
}
