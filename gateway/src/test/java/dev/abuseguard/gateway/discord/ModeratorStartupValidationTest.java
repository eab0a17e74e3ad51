package dev.abuseguard.gateway.discord;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abuseguard.testsupport.RedisServer;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Settings of the moderators' command that could not work stop the gateway at start-up, naming the setting. */
class ModeratorStartupValidationTest {

    private static final int NO_REDIS = RedisServer.freePort();

    private static String routes(String moderators) {
        return """
                spring.cloud.gateway.server.webflux.routes:
                  - id: interactions
                    uri: http://127.0.0.1:9
                    predicates: [ "Path=/interactions" ]
                    filters: [ DiscordInteractions ]
                abuse-guard:
                  actions:
                    discord_command: { limit: 30, window: 1m, strategy: token-bucket }
                  discord:
                    default-action: discord_command
                    %s
                """.formatted(moderators);
    }

    private static void expectStartUpToFail(String moderators, String message) {
        assertThatThrownBy(() -> ModeratorGateway.start(routes(moderators), NO_REDIS, Clock.systemUTC()).close())
                .hasStackTraceContaining(message);
    }

    @Test
    void anActionThatIsNotDefinedIsNamed() {
        expectStartUpToFail("moderators: { action: moderating }", "routes[id=interactions]: DiscordInteractions "
                + "filter: abuse-guard.discord.moderators.action names 'moderating', which is not defined under "
                + "abuse-guard.actions");
    }

    @Test
    void aBotCommandOfTheSameNameWouldNeverReachTheBot() {
        expectStartUpToFail("commands: { abuse: discord_command }", "abuse-guard.discord.commands.abuse would never "
                + "reach the bot: the gateway answers /abuse itself (abuse-guard.discord.moderators.command)");
    }

    @Test
    void aCommandNameDiscordWouldRefuseIsNamed() {
        expectStartUpToFail("moderators: { command: Abuse }",
                "must be 1 to 32 lower-case letters, digits, '_' or '-', as Discord names commands");
    }

    @Test
    void noPermissionBitsAndNoRolesWouldLetNobodyIn() {
        expectStartUpToFail("moderators: { permissions: \"0\" }", "permissions must name at least one permission bit");
    }

    @Test
    void theBuiltInActionNeedsNoDefinitionAndTheCommandCanBeSwitchedOff() {
        ModeratorGateway.start(routes("moderators: { roles: [ \"900000000000000001\" ] }"), NO_REDIS,
                Clock.systemUTC()).close();
        ModeratorGateway.start(routes("commands: { abuse: discord_command }\n    moderators: { enabled: false }"),
                NO_REDIS, Clock.systemUTC()).close();
    }
}
