package dev.abuseguard.gateway.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import dev.abuseguard.gateway.testsupport.Abusers;
import dev.abuseguard.gateway.testsupport.DiscordSigner;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.gateway.testsupport.Interactions;
import dev.abuseguard.testsupport.ManualClock;
import dev.abuseguard.testsupport.RedisServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * No Redis answers and a bot that is down: Discord still never sees a 5xx from the gateway. Interactions are
 * decided from memory even on an action that fails closed elsewhere, and the default messages tell the user what
 * happened. The key comes from {@code abuse-guard.discord.public-key} here.
 */
class DiscordStoreDownEndToEndTest {

    private static final ManualClock clock = new ManualClock(1_767_225_600_000L);
    private static final DiscordSigner discord = DiscordSigner.generate(clock);
    private static final String GUILD = "613425648685547541";

    /** No Redis anywhere: the store's port and the second bot's are free ports nobody listens on. */
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onRoutes(port -> """
            spring.cloud.gateway.server.webflux.routes:
              - id: interactions
                uri: http://127.0.0.1:%1$d
                predicates: [ "Path=/interactions" ]
                filters: [ DiscordInteractions ]
              - id: interactions-of-a-bot-that-is-down
                uri: http://127.0.0.1:%2$d
                predicates: [ "Path=/down/interactions" ]
                filters: [ DiscordInteractions ]
              - id: packs
                uri: http://127.0.0.1:%1$d
                predicates: [ "Path=/packs/**" ]
                filters: [ "AbuseGuard=pack_create" ]
              - id: tiny
                uri: http://127.0.0.1:%1$d
                predicates: [ "Path=/tiny/**" ]
                filters: [ "AbuseGuard=tiny" ]
            abuse-guard:
              actions:
                discord_command: { limit: 30, window: 1m, strategy: token-bucket }
                pack_create:     { limit: 1,  window: 1h, strategy: token-bucket, on-store-failure: deny }
                tiny:            { limit: 1,  window: 1h, strategy: token-bucket }
              abuse: { block-duration: 1h }
              discord:
                public-key: "%3$s"
                default-action: discord_command
                commands: { open: pack_create }
            """.formatted(port, RedisServer.freePort(), discord.publicKeyHex()))
            .noRedis().shippedStoreTimeout().stubbedBackend().clock(clock);

    @BeforeAll
    static void stub() {
        gateway.backend().stubFor(post(urlEqualTo("/interactions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"type\":5}")));
        gateway.backend().stubFor(any(urlPathMatching("/(packs|tiny)(/.*)?")).willReturn(aResponse().withStatus(200)));
    }

    private static WebTestClient.ResponseSpec send(String path, byte[] body) {
        return gateway.client().post().uri(path).contentType(MediaType.APPLICATION_JSON).headers(discord.headers(body))
                .bodyValue(body).exchange();
    }

    private static void expectEphemeral(WebTestClient.ResponseSpec response, String content) {
        response.expectStatus().isOk().expectBody().json("{\"type\":4,\"data\":{\"flags\":64,\"content\":\""
                + content + "\",\"allowed_mentions\":{\"parse\":[]}}}", JsonCompareMode.STRICT);
    }

    private static String inAnHour() {
        return "<t:" + (clock.millis() / 1000 + 3600) + ":R>";
    }

    @Test
    void anActionThatFailsClosedElsewhereIsDecidedFromMemoryForDiscord() {
        gateway.client().post().uri("/packs/open").header("X-User-Id", "300000000000000001").exchange()
                .expectStatus().isEqualTo(503);

        String user = "300000000000000002";
        send("/interactions", Interactions.commandInGuild(user, GUILD, "open")).expectStatus().isOk()
                .expectBody().json("{\"type\":5}", JsonCompareMode.STRICT);
        expectEphemeral(send("/interactions", Interactions.commandInGuild(user, GUILD, "open")),
                "You're doing that too often. You can try again " + inAnHour() + ".");
        gateway.backend().verify(1, anyRequestedFor(urlEqualTo("/interactions")));
    }

    @Test
    void aTimedBlockIsShownAsTheTimeItEnds() {
        String user = "300000000000000003";
        Abusers.violateUntilBlocked(gateway.client(), user);

        expectEphemeral(send("/interactions", Interactions.commandInDm(user, "open")),
                "You can't use this bot right now. You can try again " + inAnHour() + ".");
    }

    @Test
    void aBotThatCannotBeReachedGivesTheUserAMessageAndDiscordNo5xx() {
        String user = "300000000000000004";
        expectEphemeral(send("/down/interactions", Interactions.commandInGuild(user, GUILD, "hello")),
                "The bot can't answer right now. Please try again in a moment.");
        send("/down/interactions", Interactions.autocomplete(user, GUILD, "hello")).expectStatus().isOk()
                .expectBody().json("{\"type\":8,\"data\":{\"choices\":[]}}", JsonCompareMode.STRICT);
        send("/down/interactions", Interactions.PING).expectStatus().isOk()
                .expectBody().json("{\"type\":1}", JsonCompareMode.STRICT);
    }
}
