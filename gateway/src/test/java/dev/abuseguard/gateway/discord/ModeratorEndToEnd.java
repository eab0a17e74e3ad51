package dev.abuseguard.gateway.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.testsupport.ModeratorInteractions;
import dev.abuseguard.testsupport.RedisServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the moderators' command tests share: the gateway on real Redis in front of a WireMock bot, started once,
 * and the answers Discord receives, each timed against Discord's 3 seconds.
 */
abstract class ModeratorEndToEnd {

    static final String GUILD = "613425648685547541";
    static final String MODERATOR_ID = "300000000000000001";
    static final String MODERATOR_ROLE = "900000000000000001";
    static final String TOKEN = "moderators-test-admin-token";
    static final String BOT_ANSWER = "{\"type\":4,\"data\":{\"content\":\"from the bot\"}}";
    static final ModeratorInteractions MODERATOR = ModeratorInteractions.member(MODERATOR_ID, GUILD,
            ModeratorInteractions.MODERATE_MEMBERS);
    static final JsonMapper JSON = new JsonMapper();

    static final RedisServer redis = RedisServer.sharedEmpty();
    static final Clock clock = Clock.systemUTC();
    static WireMockServer bot;
    static ModeratorGateway gateway;
    /** How long each answer took, from the request sent to the body read. */
    static final List<Long> answerMillis = new ArrayList<>();

    @BeforeAll
    static void start() {
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
                    pack_create:     { limit: 1,  window: 1h, strategy: token-bucket }
                    moderating:      { limit: 6,  window: 1h, strategy: token-bucket }
                  discord:
                    default-action: discord_command
                    commands: { open: pack_create }
                    moderators:
                      action: moderating
                      roles: [ "%s" ]
                """.formatted(bot.port(), MODERATOR_ROLE), redis.port(), clock,
                "--abuse-guard.admin.token=" + TOKEN);
        // a first answer pays for loading and compiling its classes, on a shared machine well over a second: timed
        // against Discord's 3 s are the answers of a running gateway
        gateway.send(ModeratorInteractions.member("300000000000000999", GUILD, ModeratorInteractions.ADMINISTRATOR)
                .command("abuse", "status", "warm", "user", "200000000000000999")).expectStatus().isOk();
    }

    @AfterAll
    static void stop() {
        System.out.println("moderator answers: " + answerMillis.size() + ", the slowest in "
                + answerMillis.stream().mapToLong(Long::longValue).max().orElse(0) + " ms");
        gateway.close();
        bot.stop();
    }

    @BeforeEach
    void clean() {
        redis.flushAll();
        bot.resetAll();
        bot.stubFor(post(urlEqualTo("/interactions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(BOT_ANSWER)));
    }

    /** Sends a signed interaction; the answer is HTTP 200 JSON, within Discord's 3 seconds. */
    static JsonNode answer(byte[] body) {
        long started = System.nanoTime();
        String text = gateway.send(body).expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        long millis = (System.nanoTime() - started) / 1_000_000;
        answerMillis.add(millis);
        assertThat(millis).as("answered within Discord's 3 s").isLessThan(3000);
        return JSON.readTree(text);
    }

    /** An ephemeral message with this content alone, pinging nobody. */
    static void assertEphemeralText(JsonNode answer, String content) {
        assertThat(answer.toString()).isEqualTo(JSON.createObjectNode().put("type", 4).set("data",
                JSON.createObjectNode().put("flags", 64).put("content", content)
                        .set("allowed_mentions", JSON.readTree("{\"parse\":[]}"))).toString());
    }

    /** The value of the embed's field of this name. */
    static String field(JsonNode answer, String name) {
        for (JsonNode field : answer.path("data").path("embeds").path(0).path("fields")) {
            if (field.path("name").stringValue().equals(name)) {
                return field.path("value").stringValue();
            }
        }
        throw new AssertionError("no field " + name + " in " + answer);
    }

    static List<String> buttons(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        for (JsonNode button : answer.path("data").path("components").path(0).path("components")) {
            ids.add(button.path("label").stringValue() + " " + button.path("custom_id").stringValue());
        }
        return ids;
    }

    static void assertForwarded(JsonNode answer) {
        assertThat(answer).isEqualTo(JSON.readTree(BOT_ANSWER));
    }

    /** A user's own command, which the bot answers when allowed. */
    static JsonNode open(String userId) {
        return answer(ModeratorInteractions.member(userId, GUILD, ModeratorInteractions.MEMBER)
                .command("open", "pack", null));
    }

    /** The audit trail's newest events, as the admin API serves them. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> events(int limit) {
        return gateway.client().get().uri("/admin/api/events?limit=" + limit)
                .header("Authorization", "Bearer " + TOKEN).accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk().expectBodyList(Map.class).returnResult().getResponseBody().stream()
                .map(event -> (Map<String, Object>) event).toList();
    }

    /** Nothing of the moderators' command ever reached the bot. */
    static void assertTheBotGotNoModeratorInteraction() {
        bot.verify(0, postRequestedFor(anyUrl()).withRequestBody(containing("\"name\":\"abuse\"")));
        bot.verify(0, postRequestedFor(anyUrl()).withRequestBody(containing("abuse-guard:")));
    }
}
