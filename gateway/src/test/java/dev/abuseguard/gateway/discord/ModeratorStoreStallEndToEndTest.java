package dev.abuseguard.gateway.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.testsupport.ModeratorInteractions;
import dev.abuseguard.testsupport.RedisServer;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Redis hangs (SIGSTOP: connections open, nothing answers) while a moderator bans: Discord still gets an answer
 * inside its 3 seconds, one that says the ban may not be done, and the bot gets nothing.
 */
class ModeratorStoreStallEndToEndTest {

    private static RedisServer redis;
    private static WireMockServer bot;
    private static ModeratorGateway gateway;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        bot = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        bot.start();
        gateway = ModeratorGateway.start("""
                spring.cloud.gateway.server.webflux.routes:
                  - id: interactions
                    uri: http://127.0.0.1:%d
                    predicates: [ "Path=/interactions" ]
                    filters: [ DiscordInteractions ]
                abuse-guard:
                  actions:
                    discord_command: { limit: 30, window: 1m, strategy: token-bucket }
                  discord:
                    default-action: discord_command
                """.formatted(bot.port()), redis.port(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        redis.resume();
        gateway.close();
        bot.stop();
        redis.close();
    }

    @Test
    void aBanWhileRedisHangsIsAnsweredWithinDiscordsThreeSeconds() {
        ModeratorInteractions moderator = ModeratorInteractions.member("300000000000000009", "613425648685547541",
                ModeratorInteractions.MODERATE_MEMBERS);
        byte[] ban = moderator.command("abuse", "ban", "Zoë", "user", "200000000000000999");
        gateway.send(moderator.command("abuse", "limits", null)).expectStatus().isOk(); // warm: not a cold start's time
        redis.pause();

        long started = System.nanoTime();
        String body = gateway.send(ban).expectStatus().isOk().expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        long millis = (System.nanoTime() - started) / 1_000_000;

        System.out.println("ban while Redis hangs: " + millis + " ms: " + body);
        assertThat(millis).isLessThan(3000);
        JsonNode answer = new JsonMapper().readTree(body);
        assertThat(answer.path("type").intValue()).isEqualTo(4);
        assertThat(answer.path("data").path("flags").intValue()).isEqualTo(64);
        assertThat(answer.path("data").path("content").stringValue()).isIn(
                "The gateway did not finish in time. Use status to see whether it was done.",
                "The gateway can't reach its store right now, so this may not have been done. "
                        + "Use status to check, or try again in a moment.");
        bot.verify(0, anyRequestedFor(anyUrl()));
    }
}
