package dev.abuseguard.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abuseguard.admin.InvalidAdminInput;
import dev.abuseguard.testsupport.ModeratorInteractions;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ModeratorRequestsTest {

    private static final JsonMapper JSON = new JsonMapper();
    private static final String GUILD = "613425648685547541";
    private static final String TARGET = "200000000000000077";
    private static final ModeratorInteractions MODERATOR = ModeratorInteractions.member("300000000000000001", GUILD,
            ModeratorInteractions.MODERATE_MEMBERS, "900000000000000001");

    private static ModeratorRequests.Ask ask(byte[] body) {
        return ModeratorRequests.ask(JSON.readTree(body), new InteractionParser(JSON).parse(body));
    }

    private static void expectInvalid(byte[] body, String field) {
        assertThatThrownBy(() -> ask(body)).isInstanceOfSatisfying(InvalidAdminInput.class,
                invalid -> assertThat(invalid.field()).isEqualTo(field));
    }

    @Test
    void theCallerIsReadFromTheMember() {
        byte[] body = MODERATOR.command("abuse", "status", "Zoë", "user", TARGET);
        ModeratorRequests.Caller caller = ModeratorRequests.caller(JSON.readTree(body),
                new InteractionParser(JSON).parse(body));

        assertThat(caller).isEqualTo(new ModeratorRequests.Caller("300000000000000001", GUILD,
                ModeratorInteractions.MODERATE_MEMBERS, List.of("900000000000000001")));
    }

    @Test
    void aDmHasNoPermissions() {
        byte[] body = ModeratorInteractions.inDm("300000000000000001").command("abuse", "limits", null);
        ModeratorRequests.Caller caller = ModeratorRequests.caller(JSON.readTree(body),
                new InteractionParser(JSON).parse(body));

        assertThat(caller.guildId()).isNull();
        assertThat(caller.permissions()).isNull();
    }

    @Test
    void aBanWithItsOptionsAndTheResolvedName() {
        assertThat(ask(MODERATOR.command("abuse", "ban", "Zoë", "user", TARGET, "duration", "1h", "reason", "spam")))
                .isEqualTo(new ModeratorRequests.Ask(ModeratorSubcommand.BAN, TARGET, "Zoë", "1h", "spam", false));
    }

    @Test
    void limitsTakesNoUser() {
        assertThat(ask(MODERATOR.command("abuse", "limits", null)))
                .isEqualTo(new ModeratorRequests.Ask(ModeratorSubcommand.LIMITS, null, null, null, null, false));
    }

    @Test
    void whatTheDefinitionWouldNotLetDiscordSendIsNamed() {
        expectInvalid(MODERATOR.command("abuse", "status", "Zoë"), "user");
        expectInvalid(MODERATOR.command("abuse", "status", "Zoë", "user", "<@200000000000000077>"), "user");
        expectInvalid(MODERATOR.command("abuse", "status", "Zoë", "user", TARGET, "duration", "1h"), "duration");
        expectInvalid(MODERATOR.command("abuse", "ban", "Zoë", "user", TARGET, "reason", "x".repeat(201)), "reason");
        expectInvalid(MODERATOR.command("abuse", "ban", "Zoë", "user", TARGET, "duration", "1".repeat(21)),
                "duration");
        expectInvalid(MODERATOR.command("abuse", "purge", "Zoë", "user", TARGET), "subcommand");
        expectInvalid(MODERATOR.commandWithRawSubcommand("abuse", "{\"name\":\"status\",\"type\":1,\"options\":["
                + "{\"name\":\"user\",\"type\":6,\"value\":\"" + TARGET + "\"},"
                + "{\"name\":\"user\",\"type\":6,\"value\":\"200000000000000078\"}]}"), "user");
        expectInvalid(MODERATOR.commandWithRawSubcommand("abuse", "{\"name\":\"status\",\"type\":1,\"options\":["
                + "{\"name\":\"user\",\"type\":6,\"value\":200000000000000077}]}"), "user");
        expectInvalid(MODERATOR.commandWithRawSubcommand("abuse", "{\"name\":\"status\",\"type\":2}"), "subcommand");
    }

    @Test
    void aButtonNamesItsVerbAndTarget() {
        assertThat(ask(MODERATOR.click("abuse-guard:unban:" + TARGET)))
                .isEqualTo(new ModeratorRequests.Ask(ModeratorSubcommand.UNBAN, TARGET, null, null, null, true));
        assertThat(ModeratorRequests.button(ModeratorSubcommand.RESET, TARGET))
                .isEqualTo("abuse-guard:reset:" + TARGET);
    }

    @Test
    void aForgedButtonIsRefused() {
        for (String customId : List.of("abuse-guard:ban:" + TARGET + ":x", "abuse-guard:ban:", "abuse-guard:ban:u1",
                "abuse-guard:exempt:" + TARGET, "abuse-guard:ban:" + TARGET + "0".repeat(20), "abuse-guard:",
                "abuse-guard:status:" + TARGET, "abuse-guard:ban:{u:1}")) {
            expectInvalid(MODERATOR.click(customId), "custom_id");
        }
    }
}
